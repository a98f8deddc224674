package io.jllm.engine.chat.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja's tests ({@code x is name}), with Python's view of types: a bool is a number, not an integer. */
final class TestFunctions {
    static final Set<String> NAMES = Set.of("defined", "undefined", "none", "boolean", "true", "false", "integer",
            "float", "number", "string", "mapping", "iterable", "sequence", "callable", "sameas", "odd", "even",
            "divisibleby", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan",
            ">", "ge", ">=", "in", "lower", "upper");

    private TestFunctions() {
    }

    static boolean apply(String name, Object v, List<Object> args) {
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "integer" -> v instanceof Long;
            case "float" -> v instanceof Double;
            case "number" -> Values.isNumber(v);
            case "string" -> v instanceof String;
            case "mapping" -> v instanceof Map;
            case "iterable" -> v instanceof String || v instanceof List || v instanceof Map || v instanceof Undefined;
            case "sequence" -> v instanceof String || v instanceof List || v instanceof Map || v instanceof Undefined;
            case "callable" -> v instanceof JinjaCallable;
            case "sameas" -> v == arg(name, args) || (v != null && isImmediate(v) && v.equals(arg(name, args)));
            case "odd" -> integer(name, v) % 2 != 0;
            case "even" -> integer(name, v) % 2 == 0;
            case "divisibleby" -> {
                long d = integer(name, arg(name, args));
                if (d == 0) {
                    throw new JinjaError("integer division or modulo by zero");
                }
                yield integer(name, v) % d == 0;
            }
            case "eq", "equalto", "==" -> Values.equal(v, arg(name, args));
            case "ne", "!=" -> !Values.equal(v, arg(name, args));
            case "lt", "lessthan", "<" -> Values.compare(v, arg(name, args), "<") < 0;
            case "le", "<=" -> Values.compare(v, arg(name, args), "<=") <= 0;
            case "gt", "greaterthan", ">" -> Values.compare(v, arg(name, args), ">") > 0;
            case "ge", ">=" -> Values.compare(v, arg(name, args), ">=") >= 0;
            case "in" -> Values.contains(arg(name, args), v);
            case "lower" -> v instanceof String s && s.equals(s.toLowerCase(java.util.Locale.ROOT));
            case "upper" -> v instanceof String s && s.equals(s.toUpperCase(java.util.Locale.ROOT));
            default -> throw new JinjaError("no test named '" + name + "'");
        };
    }

    private static boolean isImmediate(Object v) {
        return v instanceof Boolean || v instanceof Long;
    }

    private static Object arg(String name, List<Object> args) {
        if (args.size() != 1) {
            throw new JinjaError("test '" + name + "' takes one argument (" + args.size() + " given)");
        }
        return args.getFirst();
    }

    private static long integer(String name, Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (!Values.isInteger(v)) {
            throw new JinjaError("test '" + name + "' needs an integer, not " + Values.typeName(v));
        }
        return Values.toLong(v);
    }
}
