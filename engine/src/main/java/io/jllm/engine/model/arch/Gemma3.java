package io.jllm.engine.model.arch;

import io.jllm.engine.model.ArchSpec;
import io.jllm.engine.model.ModelConfig;
import io.jllm.engine.model.TensorMapper;
import io.jllm.engine.ops.GatedActivation;
import io.jllm.engine.ops.RopeLayout;
import io.jllm.gguf.GgufMetadata;

/**
 * Gemma 3 (text), following llama.cpp's {@code gemma3} graph: embeddings scaled by {@code sqrt(n_embd)},
 * sandwich norms around attention and FFN, per-head Q/K RMS norm, GELU(tanh)-gated FFN, split-half RoPE,
 * tied output. With {@code gemma3.attention.sliding_window} set, five of every six layers attend through the
 * window with RoPE base {@code rope.freq_base_swa} (default 10000) and every sixth layer globally; without a
 * window no layer slides and the logits are capped by {@code gemma3.final_logit_softcapping} when the file
 * sets it (llama.cpp caps only in that variant). Norm weights are used as stored: llama.cpp's converter
 * already folded Gemma's {@code 1 + weight} into them.
 */
public final class Gemma3 implements Architecture {
    /** llama.cpp's gemma3 rule: layer {@code i} is global when {@code i % 6 == 5}. */
    private static final int SLIDING_WINDOW_PATTERN = 6;
    private static final float SLIDING_ROPE_BASE = 10000f;
    /** Gemma 3 27B (62 layers) scales attention by {@code 1/sqrt(n_embd / n_head)} instead of the head size. */
    private static final int LAYERS_OF_27B = 62;

    @Override
    public String name() {
        return "gemma3";
    }

    @Override
    public ModelConfig readConfig(GgufMetadata metadata, int embeddingRows) {
        ModelConfig config = ModelConfig.read(metadata, name(), embeddingRows)
                .withRopeFreqBaseSwa(metadata.getFloat(name() + ".rope.freq_base_swa", SLIDING_ROPE_BASE));
        if (config.slidingWindow() > 0) {
            return config;
        }
        return config.withFinalLogitSoftcapping(metadata.getFloat(name() + ".final_logit_softcapping", 0f));
    }

    @Override
    public ArchSpec spec(ModelConfig config, TensorMapper tensors) {
        int scaleDim = config.blockCount() == LAYERS_OF_27B
                ? config.embeddingLength() / config.headCount() : config.keyLength();
        return new ArchSpec(RopeLayout.SPLIT_HALVES, false, true, false, !tensors.has("output.weight"),
                GatedActivation.GELU_TANH, true, true, config.slidingWindow() > 0 ? SLIDING_WINDOW_PATTERN : 0,
                (float) (1 / Math.sqrt(scaleDim)));
    }
}
