package io.jllm.engine.generate;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.sampling.SamplerChain;
import io.jllm.engine.tokenizer.Tokenizer;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.util.Arrays;

/**
 * One token sequence being extended: owns its KV cache, its position and its sampler, so a caller can run
 * its own loop with {@link #prefill}, {@link #sample} and {@link #decode}. Tokens added by {@link #append} or
 * {@link #decode} wait until the next logits are needed and then run through the model in one batch, so
 * the token that ends a generation costs no model pass. Every token that enters the sequence is also shown
 * to the sampler (for repetition penalties). {@link #truncate} rewinds the sequence to a prefix, keeping the
 * cached work for it: a chat that re-renders its whole conversation runs only what changed. Not thread-safe.
 */
public final class Session {

    private static final int[] NONE = new int[0];

    private final LanguageModel model;
    private final KvCache cache;
    private final SamplerChain sampler;
    private final IntArrayList tokens = new IntArrayList();
    private int[] pending = NONE;
    /** The logits after the last evaluated token, rewritten in place by every model pass. */
    private final float[] logits;
    /** False while {@link #logits} describes no token: an empty or truncated sequence. */
    private boolean hasLogits;

    Session(LanguageModel model, KvCache cache, SamplerChain sampler) {
        this.model = model;
        this.cache = cache;
        this.sampler = sampler;
        this.logits = new float[model.vocabularySize()];
    }

    /** Tokens in the sequence, pending ones included: the position the next token will take. */
    public int position() {
        return cache.length() + pending.length;
    }

    /** The most tokens the sequence can hold. */
    public int capacity() {
        return cache.capacity();
    }

    /** Room left for tokens. */
    public int remaining() {
        return capacity() - position();
    }

    /**
     * Adds tokens to the sequence and runs them (with any pending ones) through the model now.
     *
     * @throws IllegalArgumentException if there are none, one is outside the vocabulary, or they do not fit
     */
    public void prefill(int... tokens) {
        append(tokens);
        evaluatePending();
    }

    /**
     * Adds tokens to the sequence; they run through the model when the next logits are needed.
     *
     * @throws IllegalArgumentException if there are none, one is outside the vocabulary, or they do not fit
     */
    public void append(int... tokens) {
        checkTokens(tokens);
        if (tokens.length > remaining()) {
            throw new IllegalArgumentException("cannot add " + tokens.length + " tokens at position " + position()
                    + ": the context holds " + capacity() + " (" + remaining() + " left)");
        }
        int[] joined = Arrays.copyOf(pending, pending.length + tokens.length);
        System.arraycopy(tokens, 0, joined, pending.length, tokens.length);
        pending = joined;
        this.tokens.addElements(this.tokens.size(), tokens);
        for (int token : tokens) {
            sampler.accept(token);
        }
    }

    /**
     * Samples the next token from the logits after the last token, without adding it.
     *
     * @throws IllegalStateException if the sequence is empty
     */
    public int sample() {
        return sampler.sample(currentLogits());
    }

    /**
     * Samples the next token and adds it to the sequence.
     *
     * @throws IllegalStateException if the sequence is empty or full
     */
    public int decode() {
        if (remaining() == 0) {
            throw new IllegalStateException("the context is full (" + capacity() + " tokens)");
        }
        int token = sample();
        append(token);
        return token;
    }

    /** A copy of the logits after the last token of the sequence. */
    public float[] logits() {
        return currentLogits().clone();
    }

    /** The tokens of the sequence, pending ones included, in order. */
    public int[] tokens() {
        return tokens.toIntArray();
    }

    /**
     * Keeps the first {@code length} tokens of the sequence and forgets the rest, with their cache entries and
     * their place in the penalty history; the random sequence of the sampler goes on. When the cut falls
     * inside what already ran through the model, there are no logits until more tokens are added.
     *
     * @throws IllegalArgumentException if {@code length} is negative or beyond the position
     */
    public void truncate(int length) {
        if (length < 0 || length > position()) {
            throw new IllegalArgumentException("cannot truncate to " + length + " tokens: the sequence has "
                    + position());
        }
        if (length == position()) {
            return;
        }
        int cached = cache.length();
        cache.truncate(Math.min(length, cached));
        pending = Arrays.copyOf(pending, Math.max(0, length - cached));
        tokens.size(length);
        hasLogits = false;
        sampler.forgetAccepted();
        for (int i = 0; i < length; i++) {
            sampler.accept(tokens.getInt(i));
        }
    }

    /** Empties the sequence and restarts the sampler (same seed, no penalty history). */
    public void reset() {
        cache.truncate(0);
        pending = NONE;
        tokens.clear();
        hasLogits = false;
        sampler.reset();
    }

    Tokenizer tokenizer() {
        return model.tokenizer();
    }

    /** The logits after the last token, running pending tokens first; not a copy. */
    float[] currentLogits() {
        evaluatePending();
        if (!hasLogits) {
            throw new IllegalStateException(position() == 0
                    ? "nothing to sample from: the sequence is empty; prefill a prompt first"
                    : "nothing to sample from: the sequence was truncated; add a token first");
        }
        return logits;
    }

    /** Checks ids against the vocabulary; the message names the first bad one. */
    void checkTokens(int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens given");
        }
        int vocabulary = model.vocabularySize();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabulary) {
                throw new IllegalArgumentException("token " + tokens[i] + " (index " + i + " of " + tokens.length
                        + ") is outside the vocabulary [0, " + vocabulary + ")");
            }
        }
    }

    private void evaluatePending() {
        if (pending.length == 0) {
            return;
        }
        hasLogits = false;
        model.forward(pending, cache, logits);
        pending = NONE;
        hasLogits = true;
    }
}
