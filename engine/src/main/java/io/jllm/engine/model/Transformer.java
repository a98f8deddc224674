package io.jllm.engine.model;

import io.jllm.engine.ops.Attention;
import io.jllm.engine.ops.Rope;
import io.jllm.engine.ops.RmsNorm;
import io.jllm.engine.ops.VectorMath;
import io.jllm.engine.parallel.RangeExecutor;

import java.util.Arrays;

/**
 * The one forward pass shared by every architecture, driven by its {@link ArchSpec}. Tokens run in
 * micro-batches: within one, each weight matrix is multiplied with all token vectors through
 * {@link MatrixProducts}, so every weight block is read once for all of them. Comments name the llama.cpp graph
 * tensor each step computes.
 */
final class Transformer {
    private final ModelConfig config;
    private final ArchSpec spec;
    private final ModelWeights weights;
    private final RangeExecutor executor;
    private final int batchSize;
    private final Rope rope;
    /** RoPE of the sliding-window layers (their own frequency base). */
    private final Rope ropeSwa;
    private final Attention attention;
    /** The factor of the token embeddings: {@code sqrt(n_embd)} when the spec scales them, else 1. */
    private final float embeddingScale;

    Transformer(ModelConfig config, ArchSpec spec, ModelWeights weights, RangeExecutor executor, int batchSize) {
        this.config = config;
        this.spec = spec;
        this.weights = weights;
        this.executor = executor;
        this.batchSize = batchSize;
        this.rope = new Rope(config.ropeDimensionCount(), config.ropeFreqBase(), weights.ropeFreqs(), spec.ropeLayout());
        this.ropeSwa = new Rope(config.ropeDimensionCount(), config.ropeFreqBaseSwa(), weights.ropeFreqs(),
                spec.ropeLayout());
        this.attention = new Attention(config.headCount(), config.headCountKv(), config.keyLength(),
                config.valueLength(), spec.attentionScale());
        this.embeddingScale = spec.embeddingScale() ? (float) Math.sqrt(config.embeddingLength()) : 1f;
    }

    F32KvCache newCache(int capacity) {
        int batch = Math.min(batchSize, Math.max(1, capacity));
        return new F32KvCache(this, config, capacity,
                new ForwardBuffers(config, batch, rope.pairCount(), executor, Math.max(1, capacity)));
    }

    float[][] forward(int[] tokens, KvCache kvCache, boolean allLogits) {
        float[][] logits = new float[allLogits ? tokens.length : 1][config.vocabSize()];
        forward(tokens, kvCache, logits);
        return logits;
    }

    /**
     * Runs {@code tokens}, writing the logits of every one of them ({@code logits} has a row per token) or of
     * the last ({@code logits} has one row) into the caller's rows, so a decode loop can reuse one row.
     */
    void forward(int[] tokens, KvCache kvCache, float[][] logits) {
        F32KvCache cache = checkCache(kvCache);
        checkTokens(tokens, cache);
        checkRows(logits, tokens.length);
        boolean allLogits = logits.length == tokens.length;
        int batch = cache.buffers.inpL.length;
        for (int start = 0; start < tokens.length; start += batch) {
            int n = Math.min(batch, tokens.length - start);
            boolean last = start + n == tokens.length;
            float[][] out = allLogits ? Arrays.copyOfRange(logits, start, start + n) : last ? logits : null;
            microBatch(tokens, start, n, cache, out);
        }
    }

    /** Runs tokens {@code [start, start+n)}; writes logits of every token, of the last ({@code out} of length 1), or none. */
    private void microBatch(int[] tokens, int start, int n, F32KvCache cache, float[][] out) {
        ForwardBuffers b = cache.buffers;
        int position = cache.length();
        boolean sliding = spec.slidingWindowPattern() > 0;
        for (int i = 0; i < n; i++) {
            weights.tokenEmbd().row(tokens[start + i], b.inpL[i]);
            if (spec.embeddingScale()) {
                VectorMath.scale(b.inpL[i], embeddingScale, config.embeddingLength());
            }
            rope.angles(position + i, b.ropeCos[i], b.ropeSin[i]);
            if (sliding) {
                ropeSwa.angles(position + i, b.ropeCosSwa[i], b.ropeSinSwa[i]);
            }
        }
        for (int l = 0; l < config.blockCount(); l++) {
            layer(weights.layers().get(l), spec.slidingLayer(l), cache.keys[l], cache.values[l], position, n, b);
        }
        cache.advance(n);
        if (out == null) {
            return;
        }
        int first = n - out.length;
        for (int i = first; i < n; i++) {
            RmsNorm.apply(b.inpL[i], 0, weights.outputNorm(), config.layerNormRmsEpsilon(), b.norm[i], 0,
                    config.embeddingLength());
        }
        b.products.multiply(out.length, Arrays.copyOfRange(b.norm, first, n), weights.output(), out);
        if (config.finalLogitSoftcapping() > 0) {
            for (float[] row : out) {
                softcap(row, config.finalLogitSoftcapping());
            }
        }
    }

    /** One block; a sliding layer attends through the window with the sliding-window RoPE. */
    private void layer(LayerWeights w, boolean sliding, float[] keys, float[] values, int position, int n,
                       ForwardBuffers b) {
        float eps = config.layerNormRmsEpsilon();
        int dim = config.embeddingLength();
        float[][] cos = sliding ? b.ropeCosSwa : b.ropeCos;
        float[][] sin = sliding ? b.ropeSinSwa : b.ropeSin;
        int window = sliding ? config.slidingWindow() : 0;
        Rope r = sliding ? ropeSwa : rope;
        for (int i = 0; i < n; i++) {
            RmsNorm.apply(b.inpL[i], 0, w.attnNorm(), eps, b.norm[i], 0, dim);
        }
        b.products.multiply(n, b.norm, w.attnQ(), b.qcur, w.attnK(), b.kcur, w.attnV(), b.vcur);
        int keyRow = config.keyRowLength();
        int valueRow = config.valueRowLength();
        for (int i = 0; i < n; i++) {
            if (spec.qkvBias()) {
                VectorMath.add(b.qcur[i], w.attnQBias(), config.queryRowLength());
                VectorMath.add(b.kcur[i], w.attnKBias(), keyRow);
                VectorMath.add(b.vcur[i], w.attnVBias(), valueRow);
            }
            positionHeads(r, b.qcur[i], config.headCount(), w.attnQNorm(), cos[i], sin[i]);
            positionHeads(r, b.kcur[i], config.headCountKv(), w.attnKNorm(), cos[i], sin[i]);
            System.arraycopy(b.kcur[i], 0, keys, (position + i) * keyRow, keyRow);
            System.arraycopy(b.vcur[i], 0, values, (position + i) * valueRow, valueRow);
        }
        int heads = config.headCount();
        executor.forRange(n * heads, 1, (worker, from, to) -> {
            for (int item = from; item < to; item++) {
                int i = item / heads;
                attention.head(b.qcur[i], item % heads, keys, values, position + i, window, b.scores[worker],
                        b.kqvOut[i]);
            }
        });
        b.products.multiply(n, b.kqvOut, w.attnOutput(), b.projected);
        for (int i = 0; i < n; i++) {
            if (spec.postNorms()) {
                RmsNorm.apply(b.projected[i], 0, w.attnPostNorm(), eps, b.projected[i], 0, dim);
            }
            VectorMath.add(b.inpL[i], b.projected[i], dim);
            RmsNorm.apply(b.inpL[i], 0, w.ffnNorm(), eps, b.norm[i], 0, dim);
        }
        b.products.multiply(n, b.norm, w.ffnGate(), b.ffnGate, w.ffnUp(), b.ffnUp);
        for (int i = 0; i < n; i++) {
            spec.activation().apply(b.ffnGate[i], b.ffnUp[i], config.feedForwardLength());
        }
        b.products.multiply(n, b.ffnGate, w.ffnDown(), b.projected);
        for (int i = 0; i < n; i++) {
            if (spec.postNorms()) {
                RmsNorm.apply(b.projected[i], 0, w.ffnPostNorm(), eps, b.projected[i], 0, dim);
            }
            VectorMath.add(b.inpL[i], b.projected[i], dim);
        }
    }

    /** Per-head Q/K norm (when the spec has one), then RoPE, on every head of one token's Q or K row. */
    private void positionHeads(Rope r, float[] row, int heads, float[] headNorm, float[] cos, float[] sin) {
        int headSize = config.keyLength();
        for (int h = 0; h < heads; h++) {
            if (spec.qkNorm()) {
                RmsNorm.apply(row, h * headSize, headNorm, config.layerNormRmsEpsilon(), row, h * headSize, headSize);
            }
            r.rotate(row, h * headSize, cos, sin);
        }
    }

    /** {@code x = cap · tanh(x / cap)}: llama.cpp's final logit soft-capping. */
    private static void softcap(float[] x, float cap) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (cap * Math.tanh(x[i] / cap));
        }
    }

    private F32KvCache checkCache(KvCache kvCache) {
        if (!(kvCache instanceof F32KvCache cache) || cache.owner != this) {
            throw new IllegalArgumentException("the KV cache was not created by this model's newCache");
        }
        return cache;
    }

    private void checkRows(float[][] logits, int tokens) {
        if (logits.length != 1 && logits.length != tokens) {
            throw new IllegalArgumentException(logits.length + " logit rows for " + tokens
                    + " tokens: give one row (the last token's) or one per token");
        }
        for (float[] row : logits) {
            if (row.length != config.vocabSize()) {
                throw new IllegalArgumentException("a logit row holds " + row.length + " floats; the vocabulary has "
                        + config.vocabSize());
            }
        }
    }

    private void checkTokens(int[] tokens, F32KvCache cache) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to evaluate");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i
                        + " is out of range [0, " + config.vocabSize() + ")");
            }
        }
        if (tokens.length > cache.capacity() - cache.length()) {
            throw new IllegalArgumentException(tokens.length + " tokens do not fit in the KV cache: "
                    + cache.length() + " of " + cache.capacity() + " positions are used");
        }
    }
}
