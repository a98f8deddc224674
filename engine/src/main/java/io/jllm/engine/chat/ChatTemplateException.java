package io.jllm.engine.chat;

/**
 * A chat template that cannot be parsed or rendered: a syntax error, a type error while rendering, or the
 * template's own {@code raise_exception(...)}. The message starts with the template line and column.
 */
public final class ChatTemplateException extends RuntimeException {
    private final int line;
    private final int column;
    private final String description;

    public ChatTemplateException(String description, int line, int column) {
        super("chat template line " + line + ", column " + column + ": " + description);
        this.line = line;
        this.column = column;
        this.description = description;
    }

    /** 1-based line of the template where the problem is. */
    public int line() {
        return line;
    }

    /** 1-based column of the template where the problem is. */
    public int column() {
        return column;
    }

    /** The problem without the position. */
    public String description() {
        return description;
    }
}
