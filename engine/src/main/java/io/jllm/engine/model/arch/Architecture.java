package io.jllm.engine.model.arch;

import io.jllm.engine.model.ArchSpec;
import io.jllm.engine.model.ModelConfig;
import io.jllm.engine.model.TensorMapper;
import io.jllm.gguf.GgufMetadata;

/**
 * One model architecture, named as in {@code general.architecture}: how its hyperparameters are read and
 * which {@link ArchSpec} flags its forward pass needs. Tensors follow llama.cpp's names, mapped by the spec.
 */
public interface Architecture {

    /** The {@code general.architecture} value. */
    String name();

    /** @param embeddingRows the rows of {@code token_embd.weight} (the vocabulary the weights cover) */
    ModelConfig readConfig(GgufMetadata metadata, int embeddingRows);

    /**
     * The flags of this architecture, with the per-file ones (tied embeddings) decided from the tensors and
     * the values that follow from the hyperparameters (the attention scale) from {@code config}.
     */
    ArchSpec spec(ModelConfig config, TensorMapper tensors);
}
