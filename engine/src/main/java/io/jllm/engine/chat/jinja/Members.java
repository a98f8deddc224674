package io.jllm.engine.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Attribute access, subscripts and slices, resolved the way Jinja's sandbox resolves them. */
final class Members {
    private Members() {
    }

    /** {@code obj.name}: a method of the object first, then a key; missing gives Undefined. */
    static Object attribute(Object obj, String name) {
        switch (obj) {
            case Undefined u -> throw u.fail();
            case Map<?, ?> m -> {
                JinjaCallable method = Methods.dict(m, name);
                if (method != null) {
                    return method;
                }
                return m.containsKey(name) ? m.get(name) : Undefined.attribute(obj, name);
            }
            case String s -> {
                JinjaCallable method = Methods.string(s, name);
                return method != null ? method : Undefined.attribute(obj, name);
            }
            case Namespace n -> {
                return n.attributes.containsKey(name) ? n.attributes.get(name) : Undefined.attribute(obj, name);
            }
            case LoopInfo l -> {
                return l.attribute(name);
            }
            case null, default -> {
                return Undefined.attribute(obj, name);
            }
        }
    }

    /** {@code obj[key]}: the item first, then an attribute of that name; missing gives Undefined. */
    static Object item(Object obj, Object key) {
        switch (obj) {
            case Undefined u -> throw u.fail();
            case Map<?, ?> m -> {
                if (m.containsKey(key)) {
                    return m.get(key);
                }
            }
            case List<?> l -> {
                if (Values.isInteger(key)) {
                    int i = index(Values.toLong(key), l.size());
                    return i >= 0 ? l.get(i) : new Undefined("'" + Values.typeName(obj) + " object' has no element "
                            + Values.str(key));
                }
            }
            case String s -> {
                if (Values.isInteger(key)) {
                    List<Object> chars = Values.characters(s);
                    int i = index(Values.toLong(key), chars.size());
                    return i >= 0 ? chars.get(i) : new Undefined("'str object' has no element " + Values.str(key));
                }
            }
            case null, default -> {
            }
        }
        if (key instanceof String name) {
            return attribute(obj, name);
        }
        return new Undefined("'" + Values.typeName(obj) + " object' has no element " + Values.repr(key));
    }

    private static int index(long i, int size) {
        long j = i < 0 ? i + size : i;
        return j >= 0 && j < size ? (int) j : -1;
    }

    /** Python slicing of strings, lists and tuples, including negative bounds and steps. */
    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        List<?> items = switch (obj) {
            case String s -> Values.characters(s);
            case List<?> l -> l;
            case null, default -> throw new JinjaError("'" + Values.typeName(obj) + "' object is not subscriptable");
        };
        int n = items.size();
        long st = step == null ? 1 : sliceIndex(step);
        if (st == 0) {
            throw new JinjaError("slice step cannot be zero");
        }
        long lower = st > 0 ? 0 : -1;
        long upper = st > 0 ? n : n - 1;
        long from = start == null ? (st > 0 ? lower : upper) : clamp(sliceIndex(start), n, lower, upper);
        long to = stop == null ? (st > 0 ? upper : lower) : clamp(sliceIndex(stop), n, lower, upper);
        List<Object> out = new ArrayList<>();
        for (long i = from; st > 0 ? i < to : i > to; i += st) {
            out.add(items.get((int) i));
        }
        if (obj instanceof String) {
            StringBuilder sb = new StringBuilder();
            out.forEach(c -> sb.append((String) c));
            return sb.toString();
        }
        return obj instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static long sliceIndex(Object v) {
        if (!Values.isInteger(v)) {
            throw new JinjaError("slice indices must be integers or None, not " + Values.typeName(v));
        }
        return Values.toLong(v);
    }

    private static long clamp(long i, int n, long lower, long upper) {
        return i < 0 ? Math.max(i + n, lower) : Math.min(i, upper);
    }
}
