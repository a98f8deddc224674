package io.jllm.engine.model.real;

import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.Session;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in its own JVM by {@link RealModelMemoryTest}, so no other test's heap counts: loads a model, generates
 * from a short prompt with {@code jllm run}'s default sampling (seeded) and prints
 * {@code load_ms=N peak_rss=BYTES live_heap=BYTES}: the peak VmRSS seen after each generated token, then the
 * heap still in use after a full collection.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    /** @param args the model file, the context length, the number of tokens to generate */
    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        try (Engine engine = Engine.load(Path.of(args[0]), ModelOptions.defaults())) {
            engine.tokenizer();
            long loadMillis = (System.nanoTime() - start) / 1_000_000;
            Session session = engine.newSession(Integer.parseInt(args[1]), SamplerConfig.defaults().withSeed(7));
            session.prefill(engine.tokenizer().encode("Once upon a time", true, false));
            long peak = 0;
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                session.decode();
                peak = Math.max(peak, residentBytes());
            }
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.println("load_ms=" + loadMillis + " peak_rss=" + peak + " live_heap="
                    + (runtime.totalMemory() - runtime.freeMemory()));
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
