package io.jllm.tools.dispatch;

import io.jllm.tools.ToolResult;

/** Turns a tool's result into the tokens that go into the text after the call. */
@FunctionalInterface
public interface ResultInjection {

    /**
     * @param call     the call as recognised
     * @param result   its outcome (an error result when it failed)
     * @param turnText the text generated since the prompt or the previous injection, the call included
     */
    int[] tokens(CallRequest call, ToolResult result, String turnText);
}
