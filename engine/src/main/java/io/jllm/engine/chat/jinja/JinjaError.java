package io.jllm.engine.chat.jinja;

/** A rendering error raised without a position; the interpreter adds the position of the expression. */
final class JinjaError extends RuntimeException {
    JinjaError(String message) {
        super(message, null, false, false);
    }
}
