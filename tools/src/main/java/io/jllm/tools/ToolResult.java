package io.jllm.tools;

import java.time.Duration;

/**
 * The outcome of one tool call as {@link ToolRunner} reports it.
 *
 * @param tool      the tool name as called
 * @param arguments the argument text as called
 * @param text      the result text, possibly truncated; empty when the call failed
 * @param duration  how long the call took (up to the timeout when it timed out)
 * @param error     a short message when the call failed, otherwise null
 */
public record ToolResult(String tool, String arguments, String text, Duration duration, String error) {

    public boolean succeeded() {
        return error == null;
    }

    /** What to show after the arrow: the result, or {@code error: MESSAGE}. */
    public String display() {
        return succeeded() ? text : "error: " + error;
    }
}
