package io.jllm.engine.model;

/** A model file that jllm cannot run: the message names the file and what is wrong with it. */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
