package io.jllm.engine.generate;

/** Why a {@link Generator} stopped. */
public enum StopReason {
    /** The model sampled an end-of-generation token (EOS, EOT, ...); it is not part of the output. */
    END_OF_GENERATION,
    /** The text reached a stop string; the text ends right before it. */
    STOP_STRING,
    /** The maximum number of generated tokens was reached. */
    MAX_TOKENS,
    /** The context has no room for the next token (or for the tokens a listener injected). */
    CONTEXT_FULL,
    /** The {@link DecodeListener} answered {@link Decision#STOP}. */
    LISTENER_STOP
}
