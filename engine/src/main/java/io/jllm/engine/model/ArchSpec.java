package io.jllm.engine.model;

import io.jllm.engine.ops.GatedActivation;
import io.jllm.engine.ops.RopeLayout;

/**
 * What distinguishes one architecture's forward pass from another's; the shared {@link Transformer} reads
 * nothing else (besides the {@link ModelConfig}). Every listed architecture uses RMS norms before attention
 * and FFN and a gated FFN.
 *
 * @param ropeLayout           which head elements RoPE rotates together
 * @param qkvBias              Q, K and V projections add a bias ({@code attn_q.bias}, ...)
 * @param qkNorm               Q and K are RMS-normalised per head before RoPE ({@code attn_q_norm}, {@code attn_k_norm})
 * @param ropeFreqFactors      the frequencies are divided by the {@code rope_freqs} tensor (Llama 3)
 * @param tiedEmbeddings       there is no {@code output} tensor: {@code token_embd} also projects to the logits
 * @param activation           the FFN's gate activation
 * @param embeddingScale       the token embeddings are multiplied by {@code sqrt(embeddingLength)} (Gemma)
 * @param postNorms            the attention and FFN outputs are RMS-normalised again before the residual add
 *                             ({@code post_attention_norm}, {@code post_ffw_norm}: Gemma's sandwich norms)
 * @param slidingWindowPattern every {@code n}-th layer attends globally and the others through the sliding
 *                             window ({@code layer % n < n - 1}, llama.cpp's rule); 0 when no layer slides
 * @param attentionScale       the factor of every attention score {@code q·k}
 */
public record ArchSpec(RopeLayout ropeLayout, boolean qkvBias, boolean qkNorm, boolean ropeFreqFactors,
                       boolean tiedEmbeddings, GatedActivation activation, boolean embeddingScale, boolean postNorms,
                       int slidingWindowPattern, float attentionScale) {

    public ArchSpec {
        if (slidingWindowPattern < 0) {
            throw new IllegalArgumentException("sliding window pattern must not be negative, got "
                    + slidingWindowPattern);
        }
    }

    /** A Llama-like spec: SwiGLU, no embedding scale, no post-norms, no sliding window, {@code 1/sqrt(keyLength)}. */
    public static ArchSpec llamaLike(RopeLayout ropeLayout, boolean qkvBias, boolean qkNorm, boolean ropeFreqFactors,
                                     boolean tiedEmbeddings, ModelConfig config) {
        return new ArchSpec(ropeLayout, qkvBias, qkNorm, ropeFreqFactors, tiedEmbeddings, GatedActivation.SILU, false,
                false, 0, (float) (1 / Math.sqrt(config.keyLength())));
    }

    /** Whether layer {@code layer} attends through the sliding window rather than over the whole context. */
    public boolean slidingLayer(int layer) {
        return slidingWindowPattern > 0 && layer % slidingWindowPattern < slidingWindowPattern - 1;
    }
}
