package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference reader, the {@code gguf} Python package, reads a file written by {@link GgufWriter} back
 * exactly: its canonical dump ({@code src/test/python/dump_gguf.py}) equals the dump derived from what the
 * writer was given. Needs {@code python3} with {@code pip install gguf}; without them the test fails and says so.
 */
class GgufPythonCompatibilityTest {
    static final Path SCRIPT = Path.of("src/test/python/dump_gguf.py");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(ints = {32, 64})
    void ggufPyReadsWhatTheWriterWrote(int alignment) throws Exception {
        SampleGguf sample = new SampleGguf(alignment);
        Path file = dir.resolve("sample.gguf");
        sample.writer.write(file);

        assertThat(runDumpScript(file)).isEqualTo(sample.expectedDump(false));
    }

    static String runDumpScript(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), file.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return fail("cannot run python3 (" + e.getMessage() + "): this test needs Python 3 with the gguf "
                    + "package; install them, e.g. 'apt-get install python3 python3-pip && pip install gguf'");
        }
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python3 " + SCRIPT + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
            String hint = stderr.contains("No module named 'gguf'") || stderr.contains("No module named 'numpy'")
                    ? "the Python package 'gguf' is missing: run 'pip install gguf'. " : "";
            fail(hint + "python3 " + SCRIPT + " exited with " + p.exitValue() + ":\n" + stderr);
        }
        return new String(stdout, StandardCharsets.US_ASCII);
    }
}
