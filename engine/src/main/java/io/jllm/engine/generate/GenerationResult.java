package io.jllm.engine.generate;

import java.util.Arrays;

/**
 * The outcome of {@link Generator#generate}.
 *
 * @param text       the generated text, as streamed (without a stop string or end-of-generation token)
 * @param tokens     the tokens appended after the prompt: sampled ones and injected ones, in order; a stop
 *                   string's tokens are included, an end-of-generation token is not
 * @param stopReason why the generation ended
 * @param timings    prompt and decoding speed
 */
public record GenerationResult(String text, int[] tokens, StopReason stopReason, Timings timings) {

    public GenerationResult {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public String toString() {
        return "GenerationResult[text=" + text + ", tokens=" + Arrays.toString(tokens) + ", stopReason="
                + stopReason + ", timings=" + timings + "]";
    }
}
