package io.jllm.engine.chat.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Python-style argument binding for built-in filters, tests, functions and methods. */
final class Args {
    private final String function;
    private final List<Object> positional;
    private final Map<String, Object> keywords;

    Args(String function, List<Object> positional, Map<String, Object> keywords, String... names) {
        this.function = function;
        this.positional = positional;
        this.keywords = keywords;
        if (positional.size() > names.length) {
            throw new JinjaError(function + "() takes at most " + names.length + " argument(s) ("
                    + positional.size() + " given)");
        }
        Set<String> known = Set.of(names);
        for (String k : keywords.keySet()) {
            if (!known.contains(k)) {
                throw new JinjaError(function + "() got an unexpected keyword argument '" + k + "'");
            }
        }
    }

    /** The argument at {@code index}, also accepted by {@code name}, or {@code fallback} when absent. */
    Object get(int index, String name, Object fallback) {
        if (index < positional.size()) {
            return positional.get(index);
        }
        return keywords.getOrDefault(name, fallback);
    }

    boolean has(int index, String name) {
        return index < positional.size() || keywords.containsKey(name);
    }

    String string(int index, String name, String fallback) {
        Object v = get(index, name, fallback);
        if (v != null && !(v instanceof String)) {
            throw new JinjaError(function + "() argument '" + name + "' must be a string, not "
                    + Values.typeName(v));
        }
        return (String) v;
    }

    long integer(int index, String name, long fallback) {
        Object v = get(index, name, fallback);
        if (!Values.isInteger(v)) {
            throw new JinjaError(function + "() argument '" + name + "' must be an integer, not "
                    + Values.typeName(v));
        }
        return Values.toLong(v);
    }

    boolean bool(int index, String name, boolean fallback) {
        return Values.truthy(get(index, name, fallback));
    }

    Object required(int index, String name) {
        if (!has(index, name)) {
            throw new JinjaError(function + "() missing required argument '" + name + "'");
        }
        return get(index, name, null);
    }
}
