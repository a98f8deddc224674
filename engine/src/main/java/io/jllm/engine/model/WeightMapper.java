package io.jllm.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the llama.cpp tensor names of a llama-like model, taking the optional tensors the {@link ArchSpec}
 * asks for. Shapes follow from the {@link ModelConfig}.
 */
final class WeightMapper {
    private WeightMapper() {
    }

    static ModelWeights map(TensorMapper tensors, ModelConfig c, ArchSpec spec) {
        int dim = c.embeddingLength();
        Matrix tokenEmbd = spec.tiedEmbeddings() ? tensors.matrix("token_embd.weight", dim, c.vocabSize())
                : tensors.storedMatrix("token_embd.weight", dim, c.vocabSize());
        List<LayerWeights> layers = new ArrayList<>(c.blockCount());
        for (int i = 0; i < c.blockCount(); i++) {
            layers.add(layer(tensors, c, spec, "blk." + i + "."));
        }
        float[] outputNorm = tensors.vector("output_norm.weight", dim);
        Matrix output = spec.tiedEmbeddings() ? tokenEmbd : tensors.matrix("output.weight", dim, c.vocabSize());
        float[] ropeFreqs = spec.ropeFreqFactors()
                ? tensors.vector("rope_freqs.weight", c.ropeDimensionCount() / 2) : null;
        return new ModelWeights(tokenEmbd, List.copyOf(layers), outputNorm, output, ropeFreqs);
    }

    private static LayerWeights layer(TensorMapper t, ModelConfig c, ArchSpec spec, String p) {
        int dim = c.embeddingLength();
        boolean bias = spec.qkvBias();
        boolean norm = spec.qkNorm();
        boolean post = spec.postNorms();
        return new LayerWeights(
                t.vector(p + "attn_norm.weight", dim),
                t.matrix(p + "attn_q.weight", dim, c.queryRowLength()),
                t.matrix(p + "attn_k.weight", dim, c.keyRowLength()),
                t.matrix(p + "attn_v.weight", dim, c.valueRowLength()),
                bias ? t.vector(p + "attn_q.bias", c.queryRowLength()) : null,
                bias ? t.vector(p + "attn_k.bias", c.keyRowLength()) : null,
                bias ? t.vector(p + "attn_v.bias", c.valueRowLength()) : null,
                norm ? t.vector(p + "attn_q_norm.weight", c.keyLength()) : null,
                norm ? t.vector(p + "attn_k_norm.weight", c.keyLength()) : null,
                t.matrix(p + "attn_output.weight", c.attentionRowLength(), dim),
                post ? t.vector(p + "post_attention_norm.weight", dim) : null,
                t.vector(p + "ffn_norm.weight", dim),
                t.matrix(p + "ffn_gate.weight", dim, c.feedForwardLength()),
                t.matrix(p + "ffn_up.weight", dim, c.feedForwardLength()),
                t.matrix(p + "ffn_down.weight", c.feedForwardLength(), dim),
                post ? t.vector(p + "post_ffw_norm.weight", dim) : null);
    }
}
