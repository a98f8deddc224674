package io.jllm.engine.model.arch;

import io.jllm.engine.model.ArchSpec;
import io.jllm.engine.model.ModelConfig;
import io.jllm.engine.model.TensorMapper;
import io.jllm.engine.ops.RopeLayout;
import io.jllm.gguf.GgufMetadata;

/**
 * Qwen 3 (dense): split-half (NeoX) RoPE, no biases, per-head RMS norm of Q and K before RoPE. Its head size
 * ({@code qwen3.attention.key_length}) need not be {@code embedding_length / head_count}.
 */
public final class Qwen3 implements Architecture {

    @Override
    public String name() {
        return "qwen3";
    }

    @Override
    public ModelConfig readConfig(GgufMetadata metadata, int embeddingRows) {
        return ModelConfig.read(metadata, name(), embeddingRows);
    }

    @Override
    public ArchSpec spec(ModelConfig config, TensorMapper tensors) {
        return ArchSpec.llamaLike(RopeLayout.SPLIT_HALVES, false, true, false, !tensors.has("output.weight"), config);
    }
}
