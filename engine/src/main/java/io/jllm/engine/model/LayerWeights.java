package io.jllm.engine.model;

/**
 * One transformer block's tensors, named after llama.cpp's model fields ({@code blk.N.attn_q.weight} is
 * {@code attnQ}, {@code blk.N.post_attention_norm.weight} is {@code attnPostNorm}). Biases, Q/K norms and
 * post-norms are null unless the {@link ArchSpec} asks for them.
 */
public record LayerWeights(
        float[] attnNorm,
        Matrix attnQ,
        Matrix attnK,
        Matrix attnV,
        float[] attnQBias,
        float[] attnKBias,
        float[] attnVBias,
        float[] attnQNorm,
        float[] attnKNorm,
        Matrix attnOutput,
        float[] attnPostNorm,
        float[] ffnNorm,
        Matrix ffnGate,
        Matrix ffnUp,
        Matrix ffnDown,
        float[] ffnPostNorm) {
}
