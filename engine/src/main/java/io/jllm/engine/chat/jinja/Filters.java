package io.jllm.engine.chat.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Jinja's built-in filters that chat templates use, plus transformers' {@code tojson}. */
final class Filters {
    static final Set<String> NAMES = Set.of("abs", "attr", "capitalize", "count", "d", "default", "dictsort",
            "first", "float", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
            "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort",
            "string", "sum", "title", "tojson", "trim", "unique", "upper");

    private Filters() {
    }

    static Object apply(String name, Object v, List<Object> a, Map<String, Object> k) {
        return switch (name) {
            case "abs" -> {
                new Args(name, a, k);
                yield abs(v);
            }
            case "attr" -> Members.attribute(v, new Args(name, a, k, "name").string(0, "name", null));
            case "capitalize" -> {
                new Args(name, a, k);
                yield Methods.capitalize(Values.str(v));
            }
            case "count", "length" -> {
                new Args(name, a, k);
                yield Values.length(v);
            }
            case "d", "default" -> {
                Args args = new Args(name, a, k, "default_value", "boolean");
                boolean useDefault = v instanceof Undefined || args.bool(1, "boolean", false) && !Values.truthy(v);
                yield useDefault ? args.get(0, "default_value", "") : v;
            }
            case "dictsort" -> dictsort(v, new Args(name, a, k, "case_sensitive", "by", "reverse"));
            case "first" -> {
                new Args(name, a, k);
                List<Object> items = Values.iterate(v);
                yield items.isEmpty() ? new Undefined("no first item, sequence was empty") : items.getFirst();
            }
            case "last" -> {
                new Args(name, a, k);
                List<Object> items = Values.iterate(v);
                yield items.isEmpty() ? new Undefined("no last item, sequence was empty") : items.getLast();
            }
            case "float" -> toFloat(v, new Args(name, a, k, "default").get(0, "default", 0.0));
            case "int" -> toInt(v, new Args(name, a, k, "default", "base"));
            case "indent" -> indent(Values.str(v), new Args(name, a, k, "width", "first", "blank"));
            case "items" -> {
                new Args(name, a, k);
                if (v instanceof Undefined) {
                    yield new ArrayList<>();
                }
                if (!(v instanceof Map<?, ?> m)) {
                    throw new JinjaError("can only get item pairs from a mapping, not " + Values.typeName(v));
                }
                yield Methods.dict(m, "items").call(List.of(), Map.of());
            }
            case "join" -> join(v, new Args(name, a, k, "d", "attribute"));
            case "list" -> {
                new Args(name, a, k);
                yield new ArrayList<>(Values.iterate(v));
            }
            case "lower" -> {
                new Args(name, a, k);
                yield Values.str(v).toLowerCase(Locale.ROOT);
            }
            case "upper" -> {
                new Args(name, a, k);
                yield Values.str(v).toUpperCase(Locale.ROOT);
            }
            case "map" -> map(v, a, k);
            case "max", "min" -> {
                Args args = new Args(name, a, k, "case_sensitive", "attribute");
                List<Object> items = Values.iterate(v);
                if (items.isEmpty()) {
                    yield new Undefined("no " + name + " item, sequence was empty");
                }
                Comparator<Object> order = order(args.bool(0, "case_sensitive", false), attribute(args, 1));
                yield name.equals("max") ? Collections.max(items, order) : Collections.min(items, order);
            }
            case "select", "reject" -> select(v, a, k, name.equals("select"), false);
            case "selectattr", "rejectattr" -> select(v, a, k, name.equals("selectattr"), true);
            case "replace" -> {
                Args args = new Args(name, a, k, "old", "new", "count");
                Object count = args.get(2, "count", null);
                yield Methods.replace(Values.str(v), Values.str(args.required(0, "old")),
                        Values.str(args.required(1, "new")), count == null ? -1 : args.integer(2, "count", -1));
            }
            case "reverse" -> {
                new Args(name, a, k);
                if (v instanceof String s) {
                    yield Members.slice(s, null, null, -1L);
                }
                List<Object> items = new ArrayList<>(Values.iterate(v));
                Collections.reverse(items);
                yield items;
            }
            case "round" -> round(v, new Args(name, a, k, "precision", "method"));
            case "safe" -> {
                new Args(name, a, k);
                yield v;
            }
            case "sort" -> {
                Args args = new Args(name, a, k, "reverse", "case_sensitive", "attribute");
                List<Object> items = new ArrayList<>(Values.iterate(v));
                Comparator<Object> order = order(args.bool(1, "case_sensitive", false), attribute(args, 2));
                items.sort(args.bool(0, "reverse", false) ? order.reversed() : order);
                yield items;
            }
            case "string" -> {
                new Args(name, a, k);
                yield Values.str(v);
            }
            case "sum" -> {
                Args args = new Args(name, a, k, "attribute", "start");
                Function<Object, Object> key = attribute(args, 0);
                Object total = args.get(1, "start", 0L);
                for (Object item : Values.iterate(v)) {
                    total = Values.arithmetic("+", total, key.apply(item));
                }
                yield total;
            }
            case "title" -> {
                new Args(name, a, k);
                yield jinjaTitle(Values.str(v));
            }
            case "tojson" -> {
                Args args = new Args(name, a, k, "ensure_ascii", "indent", "separators", "sort_keys");
                if (args.bool(0, "ensure_ascii", false)) {
                    throw new JinjaError("tojson(ensure_ascii=True) is not supported");
                }
                yield PyJson.dumps(v, args.get(1, "indent", null), args.get(2, "separators", null),
                        args.bool(3, "sort_keys", false));
            }
            case "trim" -> Methods.strip(Values.str(v), new Args(name, a, k, "chars").string(0, "chars", null), true,
                    true);
            case "unique" -> {
                Args args = new Args(name, a, k, "case_sensitive", "attribute");
                Function<Object, Object> key = caseKey(args.bool(0, "case_sensitive", false), attribute(args, 1));
                List<Object> out = new ArrayList<>();
                List<Object> seen = new ArrayList<>();
                for (Object item : Values.iterate(v)) {
                    Object kv = key.apply(item);
                    if (seen.stream().noneMatch(s -> Values.equal(s, kv))) {
                        seen.add(kv);
                        out.add(item);
                    }
                }
                yield out;
            }
            default -> throw new JinjaError("no filter named '" + name + "'");
        };
    }

    private static Object abs(Object v) {
        return switch (v) {
            case Long l -> Math.absExact(l);
            case Double d -> Math.abs(d);
            case Boolean b -> b ? 1L : 0L;
            case Undefined u -> throw u.fail();
            case null, default -> throw new JinjaError("bad operand type for abs(): '" + Values.typeName(v) + "'");
        };
    }

    private static Object toFloat(Object v, Object fallback) {
        return switch (v) {
            case Double d -> d;
            case Long l -> (double) l;
            case Boolean b -> b ? 1.0 : 0.0;
            case String s -> {
                try {
                    yield Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    yield fallback;
                }
            }
            case null, default -> fallback;
        };
    }

    private static Object toInt(Object v, Args args) {
        Object fallback = args.get(0, "default", 0L);
        long base = args.integer(1, "base", 10);
        return switch (v) {
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case Double d -> Double.isFinite(d) ? (Object) (long) (double) d : fallback;
            case String s -> {
                String t = s.strip().replace("_", "");
                try {
                    yield Long.parseLong(t, (int) base);
                } catch (NumberFormatException e) {
                    try {
                        yield (long) Double.parseDouble(t);
                    } catch (NumberFormatException e2) {
                        yield fallback;
                    }
                }
            }
            case null, default -> fallback;
        };
    }

    /** Jinja's {@code indent}: lines after the first get the prefix, empty lines only when {@code blank}. */
    private static String indent(String s, Args args) {
        Object width = args.get(0, "width", 4L);
        String prefix = width instanceof String w ? w
                : " ".repeat((int) Math.max(0, Math.min(args.integer(0, "width", 4), 1024)));
        boolean first = args.bool(1, "first", false);
        boolean blank = args.bool(2, "blank", false);
        List<String> lines = new ArrayList<>(List.of((s + "\n").split("\n", -1)));
        lines.removeLast();
        StringBuilder sb = new StringBuilder(first ? prefix : "");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0) {
                sb.append('\n');
                if (blank || !line.isEmpty()) {
                    sb.append(prefix);
                }
            }
            sb.append(line);
        }
        return sb.toString();
    }

    private static String join(Object v, Args args) {
        String separator = Values.str(args.get(0, "d", ""));
        Function<Object, Object> key = attribute(args, 1);
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object item : Values.iterate(v)) {
            if (!first) {
                sb.append(separator);
            }
            first = false;
            sb.append(Values.str(key.apply(item)));
            Values.checkedLength(sb.length(), null);
        }
        return sb.toString();
    }

    private static Object map(Object v, List<Object> a, Map<String, Object> k) {
        List<Object> out = new ArrayList<>();
        if (a.isEmpty()) {
            Args args = new Args("map", a, k, "attribute", "default");
            String attr = args.string(0, "attribute", null);
            if (attr == null) {
                throw new JinjaError("map() needs a filter name or attribute=");
            }
            Object fallback = args.get(1, "default", null);
            for (Object item : Values.iterate(v)) {
                Object x = path(item, attr);
                out.add(x instanceof Undefined && args.has(1, "default") ? fallback : x);
            }
            return out;
        }
        if (!(a.getFirst() instanceof String filter)) {
            throw new JinjaError("map() filter name must be a string");
        }
        List<Object> rest = a.subList(1, a.size());
        for (Object item : Values.iterate(v)) {
            out.add(apply(filter, item, rest, k));
        }
        return out;
    }

    private static List<Object> select(Object v, List<Object> a, Map<String, Object> k, boolean keep, boolean byAttr) {
        if (!k.isEmpty()) {
            throw new JinjaError("select filters take no keyword arguments");
        }
        int next = 0;
        String attr = null;
        if (byAttr) {
            if (a.isEmpty() || !(a.getFirst() instanceof String s)) {
                throw new JinjaError("selectattr/rejectattr need an attribute name");
            }
            attr = s;
            next = 1;
        }
        String test = null;
        if (a.size() > next) {
            if (!(a.get(next) instanceof String t)) {
                throw new JinjaError("test name must be a string");
            }
            test = t;
            next++;
        }
        List<Object> testArgs = a.subList(next, a.size());
        List<Object> out = new ArrayList<>();
        for (Object item : Values.iterate(v)) {
            Object x = attr == null ? item : path(item, attr);
            boolean passed = test == null ? Values.truthy(x) : TestFunctions.apply(test, x, testArgs);
            if (passed == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object dictsort(Object v, Args args) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new JinjaError("dictsort needs a mapping, not " + Values.typeName(v));
        }
        String by = args.string(1, "by", "key");
        int part = switch (by) {
            case "key" -> 0;
            case "value" -> 1;
            default -> throw new JinjaError("You can only sort by either \"key\" or \"value\"");
        };
        List<Object> pairs = new ArrayList<>();
        m.forEach((key, value) -> pairs.add(PyTuple.of(key, value)));
        Comparator<Object> order = order(args.bool(0, "case_sensitive", false), p -> ((PyTuple) p).get(part));
        pairs.sort(args.bool(2, "reverse", false) ? order.reversed() : order);
        return pairs;
    }

    private static Object round(Object v, Args args) {
        long precision = args.integer(0, "precision", 0);
        String method = args.string(1, "method", "common");
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (!Values.isNumber(v)) {
            throw new JinjaError("round needs a number, not " + Values.typeName(v));
        }
        if (v instanceof Long l && method.equals("common")) {
            return l;
        }
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "floor" -> RoundingMode.FLOOR;
            case "ceil" -> RoundingMode.CEILING;
            default -> throw new JinjaError("method must be common, ceil or floor");
        };
        double d = Values.toDouble(v);
        if (!Double.isFinite(d)) {
            return d;
        }
        return new BigDecimal(d).setScale((int) Math.max(-300, Math.min(precision, 300)), mode).doubleValue();
    }

    /** Jinja's {@code title}: the first letter of each word (split at spaces, dashes and brackets) upper-cased. */
    private static String jinjaTitle(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean wordStart = true;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean separator = Methods.isSpace(c) || "-({[<".indexOf(c) >= 0;
            if (separator) {
                sb.appendCodePoint(c);
                wordStart = true;
            } else {
                sb.appendCodePoint(wordStart ? Character.toTitleCase(c) : Character.toLowerCase(c));
                wordStart = false;
            }
        }
        return sb.toString();
    }

    private static Function<Object, Object> attribute(Args args, int index) {
        String attr = args.string(index, "attribute", null);
        return attr == null ? Function.identity() : item -> path(item, attr);
    }

    /** Follows a dotted attribute path such as {@code "function.name"}; digits index into lists. */
    private static Object path(Object item, String attr) {
        Object x = item;
        for (String part : attr.split("\\.")) {
            Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part)
                    : part;
            x = Members.item(x, key);
        }
        return x;
    }

    private static Function<Object, Object> caseKey(boolean caseSensitive, Function<Object, Object> key) {
        return caseSensitive ? key : item -> {
            Object x = key.apply(item);
            return x instanceof String s ? s.toLowerCase(Locale.ROOT) : x;
        };
    }

    private static Comparator<Object> order(boolean caseSensitive, Function<Object, Object> key) {
        Function<Object, Object> k = caseKey(caseSensitive, key);
        return (x, y) -> Values.compare(k.apply(x), k.apply(y), "<");
    }
}
