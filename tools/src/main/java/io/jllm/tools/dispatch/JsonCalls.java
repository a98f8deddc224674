package io.jllm.tools.dispatch;

import io.jllm.engine.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON tool calls of chat models, {@code {"name": ..., "arguments": {...}}} (Hermes, Qwen) or
 * {@code {"name": ..., "parameters": {...}}} (Llama 3.1), into a {@link CallRequest}. Tools take one argument
 * text, so the argument values are joined with {@code ", "} in the order written; a single string value is
 * passed as it is.
 */
final class JsonCalls {

    private JsonCalls() {
    }

    static CallRequest parse(String json) {
        String text = json.strip();
        Map<String, Object> call;
        try {
            call = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            return CallRequest.malformed("?", text, "malformed call: not a JSON object (" + e.getMessage() + ")");
        }
        if (!(call.get("name") instanceof String name) || name.isBlank()) {
            return CallRequest.malformed("?", text, "malformed call: no \"name\" string");
        }
        Object arguments = call.containsKey("arguments") ? call.get("arguments") : call.get("parameters");
        return switch (arguments) {
            case null -> CallRequest.of(name, "");
            case Map<?, ?> map -> CallRequest.of(name, join(map.values()));
            case String string -> fromString(name, string);
            default -> CallRequest.malformed(name, Json.write(arguments),
                    "malformed call: the arguments must be a JSON object");
        };
    }

    /** Some models write the arguments object as a JSON string. */
    private static CallRequest fromString(String name, String arguments) {
        if (arguments.strip().startsWith("{")) {
            try {
                return CallRequest.of(name, join(Json.parseObject(arguments).values()));
            } catch (IllegalArgumentException e) {
                return CallRequest.of(name, arguments);
            }
        }
        return CallRequest.of(name, arguments);
    }

    private static String join(Iterable<?> values) {
        List<String> parts = new ArrayList<>();
        for (Object value : values) {
            parts.add(value instanceof String s ? s : value == null ? "" : Json.write(value));
        }
        return String.join(", ", parts);
    }
}
