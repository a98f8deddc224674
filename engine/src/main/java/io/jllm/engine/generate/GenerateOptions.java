package io.jllm.engine.generate;

import java.util.List;

/**
 * Limits of one {@link Generator#generate} call.
 *
 * @param maxTokens   the most tokens to sample, at least 1, or {@link #UNLIMITED} to go until the context is
 *                    full; injected tokens do not count
 * @param stopStrings texts that end the generation when they appear in the output; never emitted
 */
public record GenerateOptions(int maxTokens, List<String> stopStrings) {

    /** {@code maxTokens} value meaning no limit but the context. */
    public static final int UNLIMITED = -1;

    public GenerateOptions {
        if (maxTokens < 1 && maxTokens != UNLIMITED) {
            throw new IllegalArgumentException("maxTokens must be >= 1 (or -1 for no limit), got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        for (int i = 0; i < stopStrings.size(); i++) {
            if (stopStrings.get(i).isEmpty()) {
                throw new IllegalArgumentException("stop string " + i + " is empty");
            }
        }
    }

    /** At most {@code maxTokens} tokens, no stop strings. */
    public static GenerateOptions maxTokens(int maxTokens) {
        return new GenerateOptions(maxTokens, List.of());
    }

    public GenerateOptions withStopStrings(String... stops) {
        return new GenerateOptions(maxTokens, List.of(stops));
    }
}
