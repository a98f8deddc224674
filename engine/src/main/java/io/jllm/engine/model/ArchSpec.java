package io.jllm.engine.model;

import io.jllm.engine.ops.RopeLayout;

/**
 * What distinguishes one architecture's forward pass from another's; the shared {@link Transformer} reads
 * nothing else. Every listed architecture uses RMS norms before attention and FFN and a SiLU-gated FFN.
 *
 * @param ropeLayout      which head elements RoPE rotates together
 * @param qkvBias         Q, K and V projections add a bias ({@code attn_q.bias}, ...)
 * @param qkNorm          Q and K are RMS-normalised per head before RoPE ({@code attn_q_norm}, {@code attn_k_norm})
 * @param ropeFreqFactors the frequencies are divided by the {@code rope_freqs} tensor (Llama 3)
 * @param tiedEmbeddings  there is no {@code output} tensor: {@code token_embd} also projects to the logits
 */
public record ArchSpec(RopeLayout ropeLayout, boolean qkvBias, boolean qkNorm, boolean ropeFreqFactors,
                       boolean tiedEmbeddings) {
}
