package io.jllm.engine.tokenizer;

/** A model file whose tokenizer metadata is missing, inconsistent or of an unsupported kind. */
public final class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }
}
