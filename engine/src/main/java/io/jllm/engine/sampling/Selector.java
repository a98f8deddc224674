package io.jllm.engine.sampling;

/** The last link of a {@link SamplerChain}: picks one token among the remaining candidates. */
public interface Selector {

    int select(Candidates candidates);

    /** Returns to the state right after construction (a seeded selector replays its sequence). */
    default void reset() {
    }
}
