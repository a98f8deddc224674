package io.jllm.engine.sampling;

import java.util.SplittableRandom;

/**
 * Draws a candidate with probability softmax(logits). The random source is {@link SplittableRandom}
 * (SplitMix64), seeded once: the same seed over the same logits gives the same tokens, on every JDK.
 */
public final class Distribution implements Selector {

    private final long seed;
    private SplittableRandom random;

    public Distribution(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int select(Candidates candidates) {
        double[] p = candidates.probabilities();
        double u = random.nextDouble();
        double cumulative = 0;
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            cumulative += p[i];
            if (u < cumulative) {
                return candidates.id(i);
            }
        }
        // Rounding can leave the sum a hair below u; the last candidate owns that sliver.
        return candidates.id(n - 1);
    }

    @Override
    public void reset() {
        random = new SplittableRandom(seed);
    }
}
