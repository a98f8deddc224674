package io.jllm.engine.testing;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.tokenizer.Tokenizer;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A model whose next token is scripted: for every position, {@code script} looks at the sequence so far and
 * names the token that gets logit 10 (all others 0), so greedy sampling follows the script exactly. Records
 * every batch it runs so tests can see what went through the model and when.
 */
public final class ScriptedModel implements LanguageModel {

    public static final float HIGH = 10f;

    private final FakeTokenizer tokenizer;
    private final int contextLength;
    private final ToIntFunction<int[]> script;
    public final List<int[]> batches = new ArrayList<>();
    public boolean closed;
    public Cache cache;

    public ScriptedModel(FakeTokenizer tokenizer, int contextLength, ToIntFunction<int[]> script) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.script = script;
    }

    /** A script by the last token only: after piece {@code pairs[2i]} comes {@code pairs[2i+1]}, else eos. */
    public static ToIntFunction<int[]> bigrams(FakeTokenizer tokenizer, String... pairs) {
        return sequence -> {
            String last = tokenizer.tokenText(sequence[sequence.length - 1]);
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i].equals(last)) {
                    return tokenizer.id(pairs[i + 1]);
                }
            }
            return tokenizer.id("<eos>");
        };
    }

    @Override
    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public Cache newCache(int capacity) {
        cache = new Cache(capacity);
        return cache;
    }

    @Override
    public float[][] forward(int[] tokens, KvCache kvCache, boolean allLogits) {
        Cache cache = (Cache) kvCache;
        if (cache.length() + tokens.length > cache.capacity()) {
            throw new IllegalArgumentException("tokens do not fit");
        }
        batches.add(tokens.clone());
        float[][] rows = new float[allLogits ? tokens.length : 1][];
        for (int i = 0; i < tokens.length; i++) {
            cache.tokens.add(tokens[i]);
            if (allLogits || i == tokens.length - 1) {
                float[] row = new float[vocabularySize()];
                row[script.applyAsInt(cache.tokens.toIntArray())] = HIGH;
                rows[allLogits ? i : 0] = row;
            }
        }
        return rows;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The tokens themselves stand in for keys and values. */
    public static final class Cache implements KvCache {
        public final IntArrayList tokens = new IntArrayList();
        private final int capacity;

        public Cache(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int length() {
            return tokens.size();
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public void truncate(int length) {
            tokens.size(length);
        }
    }
}
