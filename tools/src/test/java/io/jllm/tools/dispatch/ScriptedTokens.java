package io.jllm.tools.dispatch;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.tokenizer.Tokenizer;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.util.HashMap;
import java.util.Map;

/**
 * A token source for dispatcher tests: the k-th model pass after the prompt makes the k-th scripted token the
 * most likely (logit 10), whatever was injected in between, and {@code <eos>} after the script. A runner-up
 * may be set for a step, to test Toolformer's top-k rule. Records everything that entered the cache.
 */
final class ScriptedTokens implements LanguageModel {

    static final float TOP = 10f;

    private final Tokenizer tokenizer;
    private final int[] script;
    private final Map<Integer, float[]> extra = new HashMap<>();
    final IntArrayList sequence = new IntArrayList();
    private int step = -1;

    ScriptedTokens(Tokenizer tokenizer, int... script) {
        this.tokenizer = tokenizer;
        this.script = script.clone();
    }

    /** At step {@code step}, {@code token} gets {@code logit} (below {@link #TOP}). */
    ScriptedTokens alsoLikely(int step, int token, float logit) {
        extra.put(step, new float[] {token, logit});
        return this;
    }

    @Override
    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    @Override
    public int contextLength() {
        return 4096;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public KvCache newCache(int capacity) {
        return new KvCache() {
            @Override
            public int length() {
                return sequence.size();
            }

            @Override
            public int capacity() {
                return capacity;
            }

            @Override
            public void truncate(int length) {
                sequence.size(length);
            }
        };
    }

    @Override
    public float[][] forward(int[] tokens, KvCache cache, boolean allLogits) {
        sequence.addAll(IntArrayList.wrap(tokens));
        step++;
        float[] logits = new float[vocabularySize()];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = i % 7 * 0.1f;
        }
        logits[step < script.length ? script[step] : ByteTokenizer.EOS] = TOP;
        float[] runnerUp = extra.get(step);
        if (runnerUp != null) {
            logits[(int) runnerUp[0]] = runnerUp[1];
        }
        return new float[][] {logits};
    }

    @Override
    public void close() {
    }
}
