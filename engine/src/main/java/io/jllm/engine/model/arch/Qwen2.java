package io.jllm.engine.model.arch;

import io.jllm.engine.model.ArchSpec;
import io.jllm.engine.model.ModelConfig;
import io.jllm.engine.model.TensorMapper;
import io.jllm.engine.ops.RopeLayout;
import io.jllm.gguf.GgufMetadata;

/** Qwen 2 / 2.5: split-half (NeoX) RoPE and biases on the Q, K and V projections. */
public final class Qwen2 implements Architecture {

    @Override
    public String name() {
        return "qwen2";
    }

    @Override
    public ModelConfig readConfig(GgufMetadata metadata, int embeddingRows) {
        return ModelConfig.read(metadata, name(), embeddingRows);
    }

    @Override
    public ArchSpec spec(ModelConfig config, TensorMapper tensors) {
        return ArchSpec.llamaLike(RopeLayout.SPLIT_HALVES, true, false, false, !tensors.has("output.weight"), config);
    }
}
