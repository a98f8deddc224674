package io.jllm.engine.generate;

/**
 * A {@link DecodeListener} failed, or answered something unusable (null, tokens outside the vocabulary).
 * The message names the token and position; the listener's own exception, if any, is the cause.
 */
public final class DecodeListenerException extends RuntimeException {

    DecodeListenerException(String message, Throwable cause) {
        super(message, cause);
    }
}
