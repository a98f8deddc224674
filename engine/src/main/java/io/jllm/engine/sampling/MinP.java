package io.jllm.engine.sampling;

/**
 * Keeps the candidates whose probability is at least {@code p} times the top probability. Compared in
 * logit space, as llama.cpp does: {@code logit >= maxLogit + ln(p)}.
 */
public final class MinP implements Sampler {

    private final float p;

    public MinP(float p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("min-p must be in (0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public void apply(Candidates candidates) {
        candidates.retainAtLeast(candidates.maxLogit() + (float) Math.log(p));
    }
}
