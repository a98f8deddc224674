package io.jllm.gguf;

/**
 * A GGUF file is malformed. The message says what was wrong; {@link #offset()} is the byte offset in the
 * file where the problem was found (or -1 where no single offset applies).
 */
public final class GgufFormatException extends RuntimeException {
    private final long offset;

    public GgufFormatException(String message, long offset) {
        super(offset >= 0 ? message + " (at byte offset " + offset + ")" : message);
        this.offset = offset;
    }

    public GgufFormatException(String message, long offset, Throwable cause) {
        this(message, offset);
        initCause(cause);
    }

    /** Byte offset in the file where the problem was detected, or -1. */
    public long offset() {
        return offset;
    }
}
