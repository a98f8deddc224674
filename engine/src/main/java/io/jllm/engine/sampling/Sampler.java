package io.jllm.engine.sampling;

/**
 * One link of a {@link SamplerChain}: narrows the candidates or reshapes their logits. Stateful samplers
 * (penalties) also see every token that enters the context.
 */
public interface Sampler {

    void apply(Candidates candidates);

    /** Notes a token that entered the context (prompt, sampled or injected). */
    default void accept(int token) {
    }

    /** Forgets every accepted token, as at the start of a new sequence. */
    default void reset() {
    }
}
