package io.jllm.engine.chat.jinja;

import io.jllm.engine.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code tojson} filter as Hugging Face transformers defines it: Python's
 * {@code json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)},
 * so {@code ", "} and {@code ": "} separate items by default, non-ASCII text stays as is and floats print
 * like Python ({@code 1.0}, {@code 1e-07}).
 */
final class PyJson {
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    private PyJson(String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    static String dumps(Object value, Object indent, Object separators, boolean sortKeys) {
        String indentText = switch (indent) {
            case null -> null;
            case String s -> s;
            case Long n -> " ".repeat((int) Math.max(0, Math.min(n, 64)));
            default -> throw new JinjaError("tojson indent must be an integer or a string, not "
                    + Values.typeName(indent));
        };
        String item = indentText == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            if (!(separators instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof String a)
                    || !(l.get(1) instanceof String b)) {
                throw new JinjaError("tojson separators must be a pair of strings");
            }
            item = a;
            key = b;
        }
        StringBuilder sb = new StringBuilder();
        new PyJson(indentText, item, key, sortKeys).write(value, sb, 0);
        return sb.toString();
    }

    private void write(Object v, StringBuilder sb, int level) {
        Values.checkedLength(sb.length(), null);
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b ? "true" : "false");
            case Long l -> sb.append(l);
            case Double d -> sb.append(number(d));
            case String s -> sb.append(Json.quote(s));
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    separate(sb, i > 0, level + 1);
                    write(l.get(i), sb, level + 1);
                }
                newline(sb, level);
                sb.append(']');
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (sortKeys) {
                    entries.sort((x, y) -> Values.compare(x.getKey(), y.getKey(), "<"));
                }
                sb.append('{');
                for (int i = 0; i < entries.size(); i++) {
                    separate(sb, i > 0, level + 1);
                    sb.append(Json.quote(key(entries.get(i).getKey())));
                    sb.append(keySeparator);
                    write(entries.get(i).getValue(), sb, level + 1);
                }
                newline(sb, level);
                sb.append('}');
            }
            default -> throw new JinjaError("Object of type " + Values.typeName(v) + " is not JSON serializable");
        }
    }

    private void separate(StringBuilder sb, boolean notFirst, int level) {
        if (notFirst) {
            sb.append(itemSeparator);
        }
        newline(sb, level);
    }

    private void newline(StringBuilder sb, int level) {
        if (indent != null) {
            sb.append('\n');
            sb.append(indent.repeat(level));
        }
    }

    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> number(d);
            default -> throw new JinjaError("keys must be str, int, float, bool or None, not " + Values.typeName(k));
        };
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Values.floatRepr(d);
    }
}
