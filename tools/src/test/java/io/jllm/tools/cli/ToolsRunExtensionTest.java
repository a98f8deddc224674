package io.jllm.tools.cli;

import io.jllm.engine.cli.Main;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jllm run --tools}: found by the run command through the service loader, its options checked, and
 * a run over the tiny llama model (random weights: it calls nothing, but the prompt, listener and trace are
 * all wired).
 */
class ToolsRunExtensionTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(List<String> args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsHelpListsTheToolOptions() {
        assertThat(main(List.of("run", "--help"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--tools LIST", "calculator, calendar, wiki",
                "--wiki-corpus PATH", "--tool-top-k K", "(Toolformer's rule; 0 = only when sampled; default 10)",
                "--max-tool-calls N", "(default 3)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--tools abacus                    | option --tools: unknown tool 'abacus' (tools: calculator, calendar, wiki)",
            "--tools calculator,Calculator     | option --tools: Calculator is listed twice",
            "--tool-top-k 5                    | option --tool-top-k needs --tools",
            "--tools wiki --max-tool-calls -1  | the most tool calls must be at least 0, got -1",
            "--tools wiki --tool-top-k -1      | top-k for starting calls must be at least 0 (0 = off), got -1",
    })
    void badToolOptionsAreUsageErrors(String options, String message) {
        List<String> args = new ArrayList<>(List.of("run", "-m", SharedTestData.tiny("llama-f32.gguf").toString(),
                "-p", "hi", "-n", "1"));
        args.addAll(List.of(options.strip().split(" +")));
        assertThat(main(args)).isEqualTo(2);
        assertThat(err()).startsWith("jllm run: " + message + System.lineSeparator());
    }

    @Test
    void aRunWithToolsPrintsTheTraceOnStderr() {
        int status = main(List.of("run", "-m", SharedTestData.tiny("llama-f32.gguf").toString(), "-p",
                "What is 2 plus 2?", "-n", "4", "--temp", "0", "-t", "1", "--tools", "calculator"));
        assertThat(status).as(err()).isZero();
        // The few-shot prompt (several hundred tokens) went in instead of the bare question.
        assertThat(err()).startsWith("tool calls: 0" + System.lineSeparator()).containsPattern("prompt: \\d{3} tokens");
    }
}
