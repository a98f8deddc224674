package io.jllm.tools.dispatch;

import io.jllm.engine.generate.GenerationResult;
import io.jllm.tools.ToolResult;

import java.util.List;

/**
 * A generation with tool calls.
 *
 * @param generation the generation: its text holds the calls and the injected results
 * @param calls      the calls that were run, in order: tool, arguments, result or error, duration
 */
public record ToolUseResult(GenerationResult generation, List<ToolResult> calls) {

    public ToolUseResult {
        calls = List.copyOf(calls);
    }

    /** The visible text, calls and results included. */
    public String text() {
        return generation.text();
    }
}
