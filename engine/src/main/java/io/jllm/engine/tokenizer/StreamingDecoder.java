package io.jllm.engine.tokenizer;

/**
 * Turns tokens into text one at a time. Text is returned only up to the last complete UTF-8 character;
 * bytes of an unfinished character wait for the next token.
 */
public interface StreamingDecoder {

    /** Appends the token and returns the newly completed text (possibly empty). */
    String next(int token);

    /** Returns whatever bytes are still pending (as U+FFFD for an unfinished character) and resets. */
    String flush();
}
