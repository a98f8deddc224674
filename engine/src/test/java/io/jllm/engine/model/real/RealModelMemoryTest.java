package io.jllm.engine.model.real;

import io.jllm.engine.testing.RealModels;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a real model generates, the resident memory of its process stays under the model file's size plus
 * the KV cache plus 300 MB: the weights stay mapped from the file rather than copied onto the heap. The model
 * runs in a fresh JVM ({@link MemoryProbe}) so the heap of other tests does not count, with a heap of
 * {@value #HEAP}: the live heap is about 60 MB (Gemma's 262k-token vocabulary, activations, logits), far
 * less than Gemma's 241 MB of weights, but uncapped G1 lets the young generation fill with several hundred
 * MB of per-token garbage (vocabulary-sized logits and sampling arrays) before collecting it.
 */
@Tag("models")
class RealModelMemoryTest {
    private static final long SLACK = 300L << 20;
    private static final int CONTEXT = 512;
    private static final String HEAP = "-Xmx192m";
    /** Repacked weights live off the heap; by default the JVM caps that memory at -Xmx, which is not the point. */
    private static final String OFF_HEAP = "-XX:MaxDirectMemorySize=2g";
    private static final Pattern RESULT = Pattern.compile("load_ms=(\\d+) peak_rss=(\\d+)");

    static List<String> models() {
        return RealModels.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void residentMemoryStaysWithinFileKvCacheAndSlack(String name) throws IOException, InterruptedException {
        Path file = RealModels.path(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder(java, HEAP, OFF_HEAP, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                MemoryProbe.class.getName(), file.toString(), String.valueOf(CONTEXT), "48")
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(5, TimeUnit.MINUTES)).as("probe finished").isTrue();
        Matcher m = RESULT.matcher(output);
        assertThat(m.find()).as("probe output: %s", output).isTrue();
        long peak = Long.parseLong(m.group(2));
        long limit = Files.size(file) + kvCacheBytes(file) + SLACK;
        System.out.printf("%s: loaded with tokenizer in %s ms; peak VmRSS %d MB while generating, limit %d MB%n",
                name, m.group(1), peak >> 20, limit >> 20);
        assertThat(peak).as("VmRSS while generating").isLessThanOrEqualTo(limit);
    }

    /** Keys and values in float32 for every layer and position of the session. */
    private static long kvCacheBytes(Path file) throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            String arch = gguf.architecture();
            GgufMetadata metadata = gguf.metadata();
            int heads = metadata.getInt(arch + ".attention.head_count");
            int headSize = metadata.getInt(arch + ".attention.key_length",
                    metadata.getInt(arch + ".embedding_length") / heads);
            return 2L * metadata.getInt(arch + ".block_count") * CONTEXT
                    * metadata.getInt(arch + ".attention.head_count_kv") * headSize * Float.BYTES;
        }
    }
}
