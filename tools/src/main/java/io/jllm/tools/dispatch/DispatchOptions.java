package io.jllm.tools.dispatch;

/**
 * Limits of tool use in one generation.
 *
 * @param maxCalls the most calls that are run; later calls are left to the model (nothing is injected)
 * @param topK     Toolformer's decoding rule: start a call whenever the opening token is among the {@code topK}
 *                 most likely tokens; 0 starts calls only when the opening token is sampled
 */
public record DispatchOptions(int maxCalls, int topK) {

    public static final int DEFAULT_MAX_CALLS = 3;

    public DispatchOptions {
        if (maxCalls < 0) {
            throw new IllegalArgumentException("the most tool calls must be at least 0, got " + maxCalls);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k for starting calls must be at least 0 (0 = off), got " + topK);
        }
    }

    /** Three calls, forcing from the top 10: the paper's k. */
    public static DispatchOptions defaults() {
        return new DispatchOptions(DEFAULT_MAX_CALLS, CallForcing.DEFAULT_TOP_K);
    }
}
