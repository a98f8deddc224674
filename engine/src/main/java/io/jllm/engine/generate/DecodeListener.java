package io.jllm.engine.generate;

/**
 * The decode callback of a {@link Generator}: sees every sampled token before it enters the sequence and
 * decides what happens next. This is where a tool dispatcher watches the text for a call and injects the
 * tool's result. End-of-generation tokens end the generation before the listener is asked.
 *
 * <p>An exception thrown here ends the generation; it reaches the caller wrapped in a
 * {@link DecodeListenerException} that names the token and position.
 */
@FunctionalInterface
public interface DecodeListener {

    /**
     * Called once per sampled token, in order.
     *
     * @param token    the sampled token id
     * @param position the position the token will take in the sequence
     * @param logits   the logits it was sampled from (before any sampler adjusted them); read-only and valid
     *                 only during this call
     * @return never null
     */
    Decision onToken(int token, int position, float[] logits);

    /** A listener that always answers {@link Decision#CONTINUE}. */
    static DecodeListener none() {
        return (token, position, logits) -> Decision.CONTINUE;
    }
}
