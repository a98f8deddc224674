package io.jllm.engine.chat.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/** The object {@code namespace(...)} returns: the one value a template may change from inside a loop. */
final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();
}
