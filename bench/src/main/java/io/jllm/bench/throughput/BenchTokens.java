package io.jllm.bench.throughput;

/**
 * The token ids both engines are fed: token {@code i} is {@code (1000 + 7919 i) mod vocabularySize}, so
 * {@code bench/scripts/llamacpp_bench.py} reproduces them without sharing code. The ids need not be text: speed
 * does not depend on which tokens run.
 */
final class BenchTokens {
    private BenchTokens() {
    }

    static int[] ids(int count, int vocabularySize) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = (int) ((1000 + 7919L * i) % vocabularySize);
        }
        return ids;
    }
}
