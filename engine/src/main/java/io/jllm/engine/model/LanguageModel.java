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

    /**
     * Runs {@code tokens} as {@link #forward(int[], KvCache, boolean)} does and writes the logits of the last
     * one into {@code lastLogits}: a decode loop reuses one row instead of allocating a vocabulary-sized one
     * per token. This default copies from the allocating form.
     *
     * @throws IllegalArgumentException as the allocating form, or if {@code lastLogits} is not
     *                                  {@link #vocabularySize()} long
     */
    default void forward(int[] tokens, KvCache cache, float[] lastLogits) {
        if (lastLogits.length != vocabularySize()) {
            throw new IllegalArgumentException("a logit row holds " + lastLogits.length
                    + " floats; the vocabulary has " + vocabularySize());
        }
        float[][] rows = forward(tokens, cache, false);
        System.arraycopy(rows[rows.length - 1], 0, lastLogits, 0, lastLogits.length);
    }

    @Override
    void close();
}
