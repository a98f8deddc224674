package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;

/**
 * The activations of one micro-batch, allocated once per cache (that is, per session) and reused by every
 * forward call. Rows are tokens; the names follow llama.cpp's graph ({@code inpL}, {@code Qcur}, ...).
 */
final class ForwardBuffers {
    /** The residual stream: the embeddings, then {@code ffn_inp}, then each layer's {@code l_out}. */
    final float[][] inpL;
    /** {@code attn_norm}, {@code ffn_norm} and {@code result_norm}. */
    final float[][] norm;
    final float[][] qcur;
    final float[][] kcur;
    final float[][] vcur;
    /** The attention output of every head, the input of {@code attn_output}. */
    final float[][] kqvOut;
    /** {@code attn_out} and {@code ffn_out}: a projection back to the embedding size. */
    final float[][] projected;
    /** {@code ffn_gate}, then the gated activation. */
    final float[][] ffnGate;
    final float[][] ffnUp;
    /** RoPE cosines and sines per token of the micro-batch, for global layers and for sliding-window ones. */
    final float[][] ropeCos;
    final float[][] ropeSin;
    final float[][] ropeCosSwa;
    final float[][] ropeSinSwa;
    /** Attention scores, one row per worker, as long as the cache. */
    final float[][] scores;
    /** The matrix products, with their quantized activations. */
    final MatrixProducts products;

    ForwardBuffers(ModelConfig c, int batchSize, int ropePairs, RangeExecutor executor, int cacheCapacity) {
        inpL = new float[batchSize][c.embeddingLength()];
        norm = new float[batchSize][c.embeddingLength()];
        qcur = new float[batchSize][c.queryRowLength()];
        kcur = new float[batchSize][c.keyRowLength()];
        vcur = new float[batchSize][c.valueRowLength()];
        kqvOut = new float[batchSize][c.attentionRowLength()];
        projected = new float[batchSize][c.embeddingLength()];
        ffnGate = new float[batchSize][c.feedForwardLength()];
        ffnUp = new float[batchSize][c.feedForwardLength()];
        ropeCos = new float[batchSize][ropePairs];
        ropeSin = new float[batchSize][ropePairs];
        ropeCosSwa = new float[batchSize][ropePairs];
        ropeSinSwa = new float[batchSize][ropePairs];
        scores = new float[executor.parallelism()][cacheCapacity];
        products = new MatrixProducts(executor, batchSize, Math.max(Math.max(c.embeddingLength(),
                c.attentionRowLength()), c.feedForwardLength()));
    }
}
