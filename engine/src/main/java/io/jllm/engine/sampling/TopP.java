package io.jllm.engine.sampling;

/**
 * Nucleus sampling: keeps the most probable candidates whose probabilities first sum to at least {@code p}
 * (always at least one), as llama.cpp's top-p does.
 */
public final class TopP implements Sampler {

    private final float p;

    public TopP(float p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public void apply(Candidates candidates) {
        if (p >= 1) {
            return;
        }
        candidates.sortDescending();
        double[] probabilities = candidates.probabilities();
        double cumulative = 0;
        for (int i = 0; i < candidates.size(); i++) {
            cumulative += probabilities[i];
            if (cumulative >= p) {
                candidates.truncate(i + 1);
                return;
            }
        }
    }
}
