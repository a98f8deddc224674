package io.jllm.engine.model.real;

import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.Session;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.RealModels;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a real model generates, the process's resident memory stays under the model file's size plus the KV
 * cache plus 300 MB: the weights stay mapped from the file rather than copied onto the heap. Also reports
 * the load time (model and tokenizer).
 */
@Tag("models")
class RealModelMemoryTest {
    private static final long SLACK = 300L << 20;
    private static final int CONTEXT = 512;

    static List<String> models() {
        return RealModels.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void residentMemoryStaysWithinFileKvCacheAndSlack(String name) throws IOException {
        Path file = RealModels.path(name);
        long start = System.nanoTime();
        try (Engine engine = Engine.load(file, ModelOptions.defaults())) {
            engine.tokenizer();
            long loadMillis = (System.nanoTime() - start) / 1_000_000;
            Session session = engine.newSession(CONTEXT, SamplerConfig.greedy());
            session.prefill(engine.tokenizer().encode("Once upon a time", true, false));
            long limit = Files.size(file) + kvCacheBytes(file) + SLACK;
            long peak = 0;
            for (int i = 0; i < 48; i++) {
                session.decode();
                peak = Math.max(peak, residentBytes());
            }
            System.out.printf("%s: loaded in %d ms; peak VmRSS %d MB while generating, limit %d MB%n", name,
                    loadMillis, peak >> 20, limit >> 20);
            assertThat(peak).as("VmRSS while generating").isLessThanOrEqualTo(limit);
        }
    }

    /** Keys and values in float32 for every layer and position of the session. */
    private static long kvCacheBytes(Path file) throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            String arch = gguf.architecture();
            GgufMetadata metadata = gguf.metadata();
            int layers = metadata.getInt(arch + ".block_count");
            int kvHeads = metadata.getInt(arch + ".attention.head_count_kv");
            int heads = metadata.getInt(arch + ".attention.head_count");
            int headSize = metadata.getInt(arch + ".attention.key_length",
                    metadata.getInt(arch + ".embedding_length") / heads);
            return 2L * layers * CONTEXT * kvHeads * headSize * Float.BYTES;
        }
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }
}
