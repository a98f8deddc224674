package io.jllm.engine.model;

import java.util.List;

/**
 * Every tensor of a model: matrices stay mapped, 1-D norm and bias vectors (a few KB each, used per token)
 * are read into float arrays. {@code output} is {@code tokenEmbd} when the embeddings are tied;
 * {@code ropeFreqs} is null unless the file has Llama-3 rope frequency factors.
 */
public record ModelWeights(Matrix tokenEmbd, List<LayerWeights> layers, float[] outputNorm, Matrix output,
                           float[] ropeFreqs) {
}
