package io.jllm.engine.model;

import io.jllm.engine.tokenizer.Tokenizer;

/**
 * A loaded model: its tokenizer and its forward pass over a {@link KvCache}. Thread-safe for use by several
 * sessions, each with its own cache. Closing releases the mapped file.
 */
public interface LanguageModel extends AutoCloseable {

    /** Logits per position (the vocabulary size). */
    int vocabularySize();

    /** The context length the model was trained for ({@code <arch>.context_length}). */
    int contextLength();

    Tokenizer tokenizer();

    /** A fresh, empty cache for up to {@code capacity} positions. */
    KvCache newCache(int capacity);

    /**
     * Runs {@code tokens} at positions {@code cache.length()} onwards, appending them to the cache.
     *
     * @param allLogits return the logits of every given token; otherwise only of the last one
     * @return one row of {@link #vocabularySize()} logits per returned position
     * @throws IllegalArgumentException if the tokens do not fit in the cache, or a token id is out of range
     */
    float[][] forward(int[] tokens, KvCache cache, boolean allLogits);

    @Override
    void close();
}
