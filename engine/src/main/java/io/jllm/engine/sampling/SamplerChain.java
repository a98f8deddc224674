package io.jllm.engine.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Samplers applied in order to a fresh candidate set, then a selector. Built from a {@link SamplerConfig} in
 * llama.cpp's default order: penalties, top-k, top-p, min-p, temperature, then a seeded draw; at temperature
 * 0 penalties and then greedy (the filters cannot change the most likely token). Not thread-safe: one per
 * sequence.
 */
public final class SamplerChain {

    private final List<Sampler> samplers;
    private final Selector selector;
    private final Candidates candidates = new Candidates();
    /** Greedy with nothing before it: the answer is the argmax of the logits, no candidate set needed. */
    private final boolean argmaxOnly;

    public SamplerChain(List<Sampler> samplers, Selector selector) {
        this.samplers = List.copyOf(samplers);
        this.selector = selector;
        this.argmaxOnly = samplers.isEmpty() && selector instanceof Greedy;
    }

    public static SamplerChain from(SamplerConfig config) {
        List<Sampler> samplers = new ArrayList<>();
        if (!config.penaltiesDisabled()) {
            samplers.add(new Penalties(config.penaltyLastN(), config.repeatPenalty(), config.frequencyPenalty(),
                    config.presencePenalty()));
        }
        if (config.isGreedy()) {
            return new SamplerChain(samplers, new Greedy());
        }
        if (config.topK() > 0) {
            samplers.add(new TopK(config.topK()));
        }
        if (config.topP() < 1) {
            samplers.add(new TopP(config.topP()));
        }
        if (config.minP() > 0) {
            samplers.add(new MinP(config.minP()));
        }
        samplers.add(new Temperature(config.temperature()));
        return new SamplerChain(samplers, new Distribution(config.seed()));
    }

    /**
     * Picks the next token from one row of logits (left unchanged).
     *
     * @throws IllegalArgumentException if a logit is NaN or +Infinity, or all are -Infinity
     */
    public int sample(float[] logits) {
        if (argmaxOnly) {
            return Candidates.argmax(logits);
        }
        candidates.reset(logits);
        for (Sampler sampler : samplers) {
            sampler.apply(candidates);
        }
        return selector.select(candidates);
    }

    /** Notes a token that entered the context, for the penalties. */
    public void accept(int token) {
        for (Sampler sampler : samplers) {
            sampler.accept(token);
        }
    }

    /** Forgets the accepted tokens and restarts the random sequence from the seed. */
    public void reset() {
        forgetAccepted();
        selector.reset();
    }

    /** Forgets the accepted tokens but keeps the random sequence going, for a sequence being rewound. */
    public void forgetAccepted() {
        for (Sampler sampler : samplers) {
            sampler.reset();
        }
    }
}
