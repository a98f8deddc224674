package io.jllm.engine.chat.jinja;

import io.jllm.engine.chat.ChatTemplateException;
import io.jllm.engine.json.JsonNumber;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Jinja template in the dialect Hugging Face transformers renders chat templates with
 * ({@code trim_blocks}, {@code lstrip_blocks}, loop controls, {@code tojson}, {@code raise_exception},
 * {@code strftime_now}). Parsing and rendering errors are {@link ChatTemplateException}s naming the line
 * and column.
 */
public final class JinjaTemplate {
    private final Source source;
    private final List<Node> nodes;

    private JinjaTemplate(Source source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /** Parses the template; throws ChatTemplateException on a syntax error. */
    public static JinjaTemplate parse(String text) {
        Source source = new Source(text);
        return new JinjaTemplate(source, Parser.parse(source));
    }

    /**
     * Renders with the given variables. Values may be maps, collections, arrays, strings, numbers (including
     * {@link JsonNumber}), booleans and null; they are copied into Python-like values first.
     *
     * @param clock the time {@code strftime_now} reports
     */
    public String render(Map<String, ?> variables, Clock clock) {
        Scope globals = new Scope(null);
        Globals.install(globals, clock);
        Scope root = new Scope(globals);
        variables.forEach((k, v) -> root.set(k, convert(v, k)));
        return new Interpreter(source, root).render(nodes);
    }

    private static Object convert(Object v, String where) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case CharSequence s -> s.toString();
            case Character c -> c.toString();
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            case Double d -> d;
            case JsonNumber n -> isIntegral(n.text()) ? (Object) integer(new BigInteger(n.text()), where) : n.doubleValue();
            case BigInteger i -> integer(i, where);
            case BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                m.forEach((key, value) -> copy.put(convert(key, where), convert(value, where + "." + key)));
                yield copy;
            }
            case Collection<?> c -> {
                List<Object> copy = new ArrayList<>(c.size());
                int i = 0;
                for (Object o : c) {
                    copy.add(convert(o, where + "[" + i++ + "]"));
                }
                yield copy;
            }
            default -> {
                if (!v.getClass().isArray()) {
                    throw new IllegalArgumentException("template variable " + where + " has unsupported type "
                            + v.getClass().getName());
                }
                List<Object> copy = new ArrayList<>();
                for (int i = 0, n = Array.getLength(v); i < n; i++) {
                    copy.add(convert(Array.get(v, i), where + "[" + i + "]"));
                }
                yield copy;
            }
        };
    }

    private static boolean isIntegral(String text) {
        return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }

    private static long integer(BigInteger i, String where) {
        if (i.bitLength() > 63) {
            throw new IllegalArgumentException("template variable " + where + " is an integer beyond 64 bits: " + i);
        }
        return i.longValue();
    }
}
