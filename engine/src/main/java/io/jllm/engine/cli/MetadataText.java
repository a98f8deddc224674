package io.jllm.engine.cli;

import io.jllm.engine.json.Json;
import io.jllm.gguf.GgufArray;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.MetadataValue;
import java.lang.reflect.Array;

/**
 * Metadata values as one readable line for {@code jllm inspect}: strings quoted and cut after
 * {@value #MAX_STRING} characters, short arrays in full, longer ones as {@code [50257 × STRING] ["!", "\"", ...]}.
 */
final class MetadataText {
    static final int MAX_STRING = 60;
    static final int MAX_FULL_ARRAY = 8;
    private static final int MAX_PREVIEW = 60;

    private MetadataText() {
    }

    static String of(MetadataValue v) {
        return value(v.type(), v.value());
    }

    private static String value(GgufValueType type, Object value) {
        return switch (value) {
            case String s -> string(s);
            case GgufArray a -> array(a);
            case Long l when type == GgufValueType.UINT64 -> Long.toUnsignedString(l);
            default -> String.valueOf(value);
        };
    }

    private static String string(String s) {
        if (s.length() <= MAX_STRING) {
            return Json.quote(s);
        }
        String head = Json.quote(s.substring(0, MAX_STRING));
        return head.substring(0, head.length() - 1) + "...\" (" + s.length() + " chars)";
    }

    private static String array(GgufArray a) {
        int n = a.length();
        StringBuilder sb = new StringBuilder();
        if (n > MAX_FULL_ARRAY) {
            sb.append('[').append(n).append(" × ").append(a.elementType()).append("] ");
        }
        sb.append('[');
        int previewStart = sb.length();
        for (int i = 0; i < n; i++) {
            if (n > MAX_FULL_ARRAY && i > 0 && sb.length() - previewStart > MAX_PREVIEW) {
                return sb.append(", ...]").toString();
            }
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(value(a.elementType(), Array.get(a.elements(), i)));
        }
        return sb.append(']').toString();
    }
}
