package io.jllm.engine.model;

/**
 * One transformer block's tensors, named after their llama.cpp tensors ({@code blk.N.attn_q.weight} is
 * {@code attnQ}). Biases and Q/K norms are null unless the {@link ArchSpec} asks for them.
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
        float[] ffnNorm,
        Matrix ffnGate,
        Matrix ffnUp,
        Matrix ffnDown) {
}
