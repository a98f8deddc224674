package io.jllm.engine.model.real;

import io.jllm.engine.cli.JvmOptions;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a real model generates, the resident memory of its process stays under the model file's size plus
 * the KV cache plus 300 MB, and the live heap holds little beside the KV cache: the weights stay mapped from
 * the file rather than copied onto the heap, and the heap does not swell with per-token garbage. The model
 * runs in a fresh JVM ({@link MemoryProbe}) so the heap of other tests does not count, started with exactly
 * the {@link JvmOptions} that {@code ./jllm} and {@code java -jar jllm.jar} use, at the context length and
 * sampling settings {@code jllm run} defaults to.
 */
@Tag("models")
class RealModelMemoryTest {
    private static final long SLACK = 300L << 20;
    /** The context {@code jllm run} and {@code jllm chat} default to. */
    private static final int CONTEXT = 4096;
    private static final int TOKENS = 64;
    /**
     * The heap holds the KV cache, the vocabulary (Gemma's 262k tokens) and the activations, never the weights:
     * beside the cache it stays under this, less than either model's weights (94 and 241 MB).
     */
    private static final long HEAP_BESIDES_CACHE = 64L << 20;
    private static final Pattern RESULT = Pattern.compile("load_ms=(\\d+) peak_rss=(\\d+) live_heap=(\\d+)");

    static List<String> models() {
        return RealModels.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void residentMemoryStaysWithinFileKvCacheAndSlackWithTheWeightsOffTheHeap(String name) throws IOException, InterruptedException {
        Path file = RealModels.path(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JvmOptions.load());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                file.toString(), String.valueOf(CONTEXT), String.valueOf(TOKENS)));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(5, TimeUnit.MINUTES)).as("probe finished").isTrue();
        Matcher m = RESULT.matcher(output);
        assertThat(m.find()).as("probe output: %s", output).isTrue();
        long peak = Long.parseLong(m.group(2));
        long liveHeap = Long.parseLong(m.group(3));
        long kvCache = kvCacheBytes(file);
        long limit = Files.size(file) + kvCache + SLACK;
        System.out.printf("%s: loaded with tokenizer in %s ms; peak VmRSS %d MB while generating, limit %d MB;"
                + " live heap %d MB of which KV cache %d MB%n", name, m.group(1), peak >> 20, limit >> 20,
                liveHeap >> 20, kvCache >> 20);
        assertThat(peak).as("VmRSS while generating").isLessThanOrEqualTo(limit);
        assertThat(liveHeap - kvCache).as("live heap besides the KV cache").isLessThanOrEqualTo(HEAP_BESIDES_CACHE);
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
