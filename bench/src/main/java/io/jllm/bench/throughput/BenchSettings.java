package io.jllm.bench.throughput;

/**
 * What {@code jllm bench} measures.
 *
 * @param promptTokens  tokens of the one prefill timed as prompt processing (pp)
 * @param genTokens     single-token decodes timed as text generation (tg)
 * @param repetitions   timed runs of each test after the warm-up
 */
public record BenchSettings(int promptTokens, int genTokens, int repetitions) {

    public BenchSettings {
        if (promptTokens < 1 || genTokens < 1 || repetitions < 1) {
            throw new IllegalArgumentException("prompt tokens, generated tokens and repetitions must be at least 1, got "
                    + promptTokens + ", " + genTokens + ", " + repetitions);
        }
    }

    /** Positions the KV cache needs: the tests start from an empty cache each. */
    int cacheLength() {
        return Math.max(promptTokens, genTokens);
    }
}
