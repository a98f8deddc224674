package io.jllm.engine.sampling;

/**
 * Divides every logit by the temperature: below 1 sharpens the distribution, above 1 flattens it.
 * Temperature 0 is not handled here; the chain uses {@link Greedy} instead.
 */
public final class Temperature implements Sampler {

    private final float temperature;

    public Temperature(float temperature) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 and finite, got " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public void apply(Candidates candidates) {
        for (int i = 0; i < candidates.size(); i++) {
            candidates.setLogit(i, candidates.logit(i) / temperature);
        }
    }
}
