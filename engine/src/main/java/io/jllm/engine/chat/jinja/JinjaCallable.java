package io.jllm.engine.chat.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a global function, a macro or a bound string/dict method. */
@FunctionalInterface
interface JinjaCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);
}
