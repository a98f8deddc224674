package io.jllm.engine.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chat turn as chat templates see it (the OpenAI/transformers message shape).
 *
 * @param role       {@code system}, {@code user}, {@code assistant}, {@code tool}, ...
 * @param content    the text, a list of content parts (maps such as {@code {type: text, text: ...}}), or null
 * @param toolCalls  an assistant's tool calls, each {@code {type: function, function: {name, arguments}}}
 *                   (optionally with {@code id}); null when there are none
 * @param toolCallId for a tool result, the id of the call it answers; may be null
 * @param name       for a tool result, the tool's name; may be null
 */
public record ChatMessage(String role, Object content, List<Map<String, Object>> toolCalls, String toolCallId,
        String name) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null, null);
    }

    /** An assistant turn that calls tools; content may be null. */
    public static ChatMessage assistantToolCalls(String content, List<Map<String, Object>> toolCalls) {
        return new ChatMessage("assistant", content, Objects.requireNonNull(toolCalls, "toolCalls"), null, null);
    }

    /** A tool's result. */
    public static ChatMessage tool(String content, String toolCallId, String name) {
        return new ChatMessage("tool", content, null, toolCallId, name);
    }

    /** The message as the template's dict: only the keys that are set, as transformers passes them. */
    Map<String, Object> toTemplateValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        if (content != null) {
            m.put("content", content);
        }
        if (toolCalls != null) {
            m.put("tool_calls", toolCalls);
        }
        if (toolCallId != null) {
            m.put("tool_call_id", toolCallId);
        }
        if (name != null) {
            m.put("name", name);
        }
        return m;
    }
}
