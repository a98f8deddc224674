package io.jllm.engine.sampling;

/** Keeps the {@code k} candidates with the highest logits, sorted descending. */
public final class TopK implements Sampler {

    private final int k;

    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public void apply(Candidates candidates) {
        candidates.keepLargest(k);
    }
}
