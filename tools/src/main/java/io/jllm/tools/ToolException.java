package io.jllm.tools;

/** A tool call that cannot be answered. The message is short and says what was wrong with the call. */
public final class ToolException extends Exception {

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
