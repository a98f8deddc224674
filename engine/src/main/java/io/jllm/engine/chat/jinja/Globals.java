package io.jllm.engine.chat.jinja;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The functions every template sees: Jinja's {@code range}, {@code namespace}, {@code dict}, and transformers'
 * {@code raise_exception} and {@code strftime_now}. */
final class Globals {
    /** Longest list {@code range} builds. */
    static final long MAX_RANGE = 1_000_000;

    private Globals() {
    }

    static void install(Scope scope, Clock clock) {
        scope.set("range", (JinjaCallable) Globals::range);
        scope.set("namespace", (JinjaCallable) (args, kwargs) -> {
            Namespace ns = new Namespace();
            for (Object a : args) {
                if (!(a instanceof Map<?, ?> m)) {
                    throw new JinjaError("namespace() takes only a dict positionally, not " + Values.typeName(a));
                }
                m.forEach((k, v) -> ns.attributes.put(Values.str(k), v));
            }
            ns.attributes.putAll(kwargs);
            return ns;
        });
        scope.set("dict", (JinjaCallable) (args, kwargs) -> {
            if (!args.isEmpty()) {
                throw new JinjaError("dict() takes keyword arguments only");
            }
            return new LinkedHashMap<Object, Object>(kwargs);
        });
        scope.set("raise_exception", (JinjaCallable) (args, kwargs) -> {
            throw new JinjaError(Values.str(new Args("raise_exception", args, kwargs, "message").required(0,
                    "message")));
        });
        scope.set("strftime_now", (JinjaCallable) (args, kwargs) -> Strftime.format(ZonedDateTime.now(clock),
                new Args("strftime_now", args, kwargs, "format").string(0, "format", "%Y-%m-%d")));
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        Args a = new Args("range", args, kwargs, "start", "stop", "step");
        long start = 0;
        long stop;
        long step = 1;
        if (args.size() == 1) {
            stop = a.integer(0, "stop", 0);
        } else {
            start = a.integer(0, "start", 0);
            stop = a.integer(1, "stop", 0);
            step = a.integer(2, "step", 1);
        }
        if (step == 0) {
            throw new JinjaError("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= MAX_RANGE) {
                throw new JinjaError("range() longer than " + MAX_RANGE + " items");
            }
            out.add(i);
        }
        return out;
    }
}
