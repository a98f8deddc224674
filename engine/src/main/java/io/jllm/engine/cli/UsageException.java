package io.jllm.engine.cli;

/** Wrong command-line arguments: reported with the command's help, never with a stack trace. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
