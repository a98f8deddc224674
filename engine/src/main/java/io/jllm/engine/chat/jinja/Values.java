package io.jllm.engine.chat.jinja;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Python semantics for template values: truth, str/repr, equality, ordering and arithmetic. */
final class Values {
    /** Longest string a template may build, so a runaway template fails instead of exhausting memory. */
    static final int MAX_STRING = 1 << 24;

    private Values() {
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case String s -> "str";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case PyTuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopInfo l -> "LoopContext";
            default -> "function";
        };
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    /** Python {@code str()}. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s;
            case Boolean b -> b ? "True" : "False";
            case Double d -> floatRepr(d);
            case Undefined u -> "";
            case List<?> l -> repr(l);
            case Map<?, ?> m -> repr(m);
            case Namespace n -> "<Namespace " + repr(n.attributes) + ">";
            default -> v.toString();
        };
    }

    /** Python {@code repr()}. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb);
        return sb.toString();
    }

    private static void repr(Object v, StringBuilder sb) {
        switch (v) {
            case String s -> stringRepr(s, sb);
            case PyTuple t -> {
                sb.append('(');
                reprItems(t, sb);
                sb.append(t.size() == 1 ? ",)" : ")");
            }
            case List<?> l -> {
                sb.append('[');
                reprItems(l, sb);
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    repr(e.getKey(), sb);
                    sb.append(": ");
                    repr(e.getValue(), sb);
                }
                sb.append('}');
            }
            case Undefined u -> sb.append("Undefined");
            case null, default -> sb.append(str(v));
        }
    }

    private static void reprItems(List<?> items, StringBuilder sb) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            repr(items.get(i), sb);
        }
    }

    private static void stringRepr(String s, StringBuilder sb) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append(quote);
    }

    /** Python's shortest round-trip float text: {@code 1.0}, {@code 0.0001}, {@code 1e-05}, {@code 1e+16}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int point = digits.length() - exact.scale();
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (point > 16 || point <= -4) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = point - 1;
            sb.append(exp < 0 ? "e-" : "e+").append(String.format("%02d", Math.abs(exp)));
        } else if (point <= 0) {
            sb.append("0.").append("0".repeat(-point)).append(digits);
        } else if (point >= digits.length()) {
            sb.append(digits).append("0".repeat(point - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return sb.toString();
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : (Long) v;
    }

    static double toDouble(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            default -> (Double) v;
        };
    }

    /** Python {@code ==}. */
    static boolean equal(Object a, Object b) {
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            return isInteger(a) && isInteger(b) ? toLong(a) == toLong(b) : toDouble(a) == toDouble(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple) || x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Python ordering for {@code <}, {@code >} and sorting: numbers, strings, and lists of them. */
    static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            return isInteger(a) && isInteger(b) ? Long.compare(toLong(a), toLong(b))
                    : Double.compare(toDouble(a), toDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), op);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        undefinedFails(a, b);
        throw new JinjaError("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    static void undefinedFails(Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
    }

    /** Python {@code in}: substring, list membership or dict key. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String sub)) {
                    undefinedFails(item, null);
                    throw new JinjaError("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(sub);
            }
            case List<?> l -> l.stream().anyMatch(x -> equal(x, item));
            case Map<?, ?> m -> m.containsKey(item);
            case Undefined u -> false;
            case null, default -> throw new JinjaError("argument of type '" + typeName(container) + "' is not iterable");
        };
    }

    static Object arithmetic(String op, Object a, Object b) {
        undefinedFails(a, b);
        if (isNumber(a) && isNumber(b)) {
            return numeric(op, a, b);
        }
        switch (op) {
            case "+" -> {
                if (a instanceof String x && b instanceof String y) {
                    checkedLength(x.length() + (long) y.length(), null);
                    return x + y;
                }
                if (a instanceof List<?> x && b instanceof List<?> y && (a instanceof PyTuple) == (b instanceof PyTuple)) {
                    List<Object> sum = new ArrayList<>(x);
                    sum.addAll(y);
                    return a instanceof PyTuple ? new PyTuple(sum) : sum;
                }
                if (a instanceof String || a instanceof List) {
                    throw new JinjaError("can only concatenate " + typeName(a) + " (not \"" + typeName(b) + "\") to "
                            + typeName(a));
                }
            }
            case "*" -> {
                if (isInteger(b) && (a instanceof String || a instanceof List)) {
                    return repeat(a, toLong(b));
                }
                if (isInteger(a) && (b instanceof String || b instanceof List)) {
                    return repeat(b, toLong(a));
                }
            }
            case "%" -> {
                if (a instanceof String) {
                    throw new JinjaError("printf-style string formatting with % is not supported");
                }
            }
            default -> {
            }
        }
        throw new JinjaError("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b)
                + "'");
    }

    private static Object repeat(Object seq, long times) {
        long n = Math.max(0, times);
        if (seq instanceof String s) {
            checkedLength(s.length() * n, null);
            return s.repeat((int) n);
        }
        List<?> list = (List<?>) seq;
        checkedLength(list.size() * n, null);
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll(list);
        }
        return seq instanceof PyTuple ? new PyTuple(out) : out;
    }

    static <T> T checkedLength(long length, T value) {
        if (length > MAX_STRING) {
            throw new JinjaError("value would be longer than " + MAX_STRING + " items");
        }
        return value;
    }

    private static Object numeric(String op, Object a, Object b) {
        if (isInteger(a) && isInteger(b)) {
            long x = toLong(a);
            long y = toLong(b);
            try {
                switch (op) {
                    case "+" -> {
                        return Math.addExact(x, y);
                    }
                    case "-" -> {
                        return Math.subtractExact(x, y);
                    }
                    case "*" -> {
                        return Math.multiplyExact(x, y);
                    }
                    case "//" -> {
                        return Math.floorDiv(x, nonZero(y));
                    }
                    case "%" -> {
                        return Math.floorMod(x, nonZero(y));
                    }
                    case "**" -> {
                        if (y >= 0) {
                            return power(x, y);
                        }
                    }
                    default -> {
                    }
                }
            } catch (ArithmeticException e) {
                throw new JinjaError("integer result does not fit in 64 bits");
            }
        }
        double x = toDouble(a);
        double y = toDouble(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / nonZero(y);
            case "//" -> Math.floor(x / nonZero(y));
            case "%" -> {
                double r = x % nonZero(y);
                yield r != 0 && (r < 0) != (y < 0) ? r + y : r;
            }
            case "**" -> Math.pow(x, y);
            default -> throw new IllegalStateException(op);
        };
    }

    private static long power(long base, long exp) {
        long result = 1;
        for (long i = 0; i < exp; i++) {
            result = Math.multiplyExact(result, base);
            if (result == 0 || result == 1 && base == 1) {
                return result;
            }
        }
        return result;
    }

    private static long nonZero(long y) {
        if (y == 0) {
            throw new JinjaError("integer division or modulo by zero");
        }
        return y;
    }

    private static double nonZero(double y) {
        if (y == 0) {
            throw new JinjaError("float division by zero");
        }
        return y;
    }

    /** The items a for loop visits: list items, dict keys or string characters. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case List<?> l -> Collections.unmodifiableList(l);
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> characters(s);
            case Undefined u -> List.of();
            case null, default -> throw new JinjaError("'" + typeName(v) + "' object is not iterable");
        };
    }

    /** A string's characters as Python sees them: one per code point. */
    static List<Object> characters(String s) {
        List<Object> chars = new ArrayList<>(s.length());
        s.codePoints().forEach(cp -> chars.add(Character.toString(cp)));
        return chars;
    }

    static long length(Object v) {
        return switch (v) {
            case String s -> s.codePointCount(0, s.length());
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            case null, default -> throw new JinjaError("object of type '" + typeName(v) + "' has no len()");
        };
    }
}
