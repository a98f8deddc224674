package io.jllm.engine.generate;

/**
 * How long a generation took, split into prompt processing and decoding.
 *
 * @param promptTokens    tokens of the prompt run through the model
 * @param promptNanos     time spent running them
 * @param generatedTokens tokens sampled while decoding (an end-of-generation token included)
 * @param generationNanos time spent decoding: model passes, sampling, listener and text handling
 */
public record Timings(int promptTokens, long promptNanos, int generatedTokens, long generationNanos) {

    public double promptTokensPerSecond() {
        return rate(promptTokens, promptNanos);
    }

    public double generationTokensPerSecond() {
        return rate(generatedTokens, generationNanos);
    }

    private static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
