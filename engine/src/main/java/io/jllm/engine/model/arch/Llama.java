package io.jllm.engine.model.arch;

import io.jllm.engine.model.ArchSpec;
import io.jllm.engine.model.ModelConfig;
import io.jllm.engine.model.TensorMapper;
import io.jllm.engine.ops.RopeLayout;
import io.jllm.gguf.GgufMetadata;

/** Llama 1/2/3 (and look-alikes such as Mistral): adjacent-pair RoPE, Llama-3 frequency factors when present. */
public final class Llama implements Architecture {

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public ModelConfig readConfig(GgufMetadata metadata, int embeddingRows) {
        return ModelConfig.read(metadata, name(), embeddingRows);
    }

    @Override
    public ArchSpec spec(ModelConfig config, TensorMapper tensors) {
        return ArchSpec.llamaLike(RopeLayout.ADJACENT_PAIRS, false, false, tensors.has("rope_freqs.weight"),
                !tensors.has("output.weight"), config);
    }
}
