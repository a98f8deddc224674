package io.jllm.engine.model;

import io.jllm.gguf.GgufMetadata;

/**
 * A model's hyperparameters. Each field is named after the camelCase leaf of its GGUF key
 * ({@code <arch>.attention.head_count_kv} is {@code headCountKv}); {@code vocabSize} falls back to the rows of
 * {@code token_embd} when {@code <arch>.vocab_size} is absent. {@code slidingWindow} is 0 when absent; which
 * layers use it is the architecture's rule ({@link ArchSpec#slidingLayer}). {@code finalLogitSoftcapping} is
 * 0 (none) unless an architecture whose graph caps the logits sets it.
 */
public record ModelConfig(
        String architecture,
        int vocabSize,
        int contextLength,
        int embeddingLength,
        int feedForwardLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int keyLength,
        int valueLength,
        float layerNormRmsEpsilon,
        float ropeFreqBase,
        int ropeDimensionCount,
        int slidingWindow,
        float ropeFreqBaseSwa,
        float finalLogitSoftcapping) {

    public ModelConfig {
        positive("vocab size", vocabSize);
        positive(architecture + ".context_length", contextLength);
        positive(architecture + ".embedding_length", embeddingLength);
        positive(architecture + ".feed_forward_length", feedForwardLength);
        positive(architecture + ".block_count", blockCount);
        positive(architecture + ".attention.head_count", headCount);
        positive(architecture + ".attention.head_count_kv", headCountKv);
        positive(architecture + ".attention.key_length", keyLength);
        positive(architecture + ".attention.value_length", valueLength);
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException(architecture + ".attention.head_count (" + headCount
                    + ") is not a multiple of " + architecture + ".attention.head_count_kv (" + headCountKv + ")");
        }
        if (ropeDimensionCount <= 0 || ropeDimensionCount % 2 != 0 || ropeDimensionCount > keyLength) {
            throw new IllegalArgumentException(architecture + ".rope.dimension_count must be even and within the head "
                    + "size " + keyLength + ", got " + ropeDimensionCount);
        }
        if (!(layerNormRmsEpsilon > 0) || !Float.isFinite(layerNormRmsEpsilon)) {
            throw new IllegalArgumentException(architecture + ".attention.layer_norm_rms_epsilon must be positive, got "
                    + layerNormRmsEpsilon);
        }
        if (!(ropeFreqBase > 0) || !Float.isFinite(ropeFreqBase)) {
            throw new IllegalArgumentException(architecture + ".rope.freq_base must be positive, got " + ropeFreqBase);
        }
        if (slidingWindow < 0) {
            throw new IllegalArgumentException(architecture + ".attention.sliding_window must not be negative, got "
                    + slidingWindow);
        }
        if (!(ropeFreqBaseSwa > 0) || !Float.isFinite(ropeFreqBaseSwa)) {
            throw new IllegalArgumentException(architecture + ".rope.freq_base_swa must be positive, got "
                    + ropeFreqBaseSwa);
        }
        if (!(finalLogitSoftcapping >= 0) || !Float.isFinite(finalLogitSoftcapping)) {
            throw new IllegalArgumentException(architecture + ".final_logit_softcapping must not be negative, got "
                    + finalLogitSoftcapping);
        }
    }

    /**
     * Reads the keys every llama-like architecture shares. Head sizes default to
     * {@code embeddingLength / headCount}, the KV head count to the head count, the rotated dimensions to the
     * whole head, the frequency base to 10000 (the sliding-window layers' base to the global one), as llama.cpp
     * does. RoPE scaling other than
     * Llama-3's frequency factors is refused rather than silently ignored.
     *
     * @param embeddingRows rows of {@code token_embd}, the vocabulary size the weights actually have
     */
    public static ModelConfig read(GgufMetadata metadata, String arch, int embeddingRows) {
        String scaling = metadata.findString(arch + ".rope.scaling.type").orElse("none");
        if (!scaling.equals("none")) {
            throw new UnsupportedOperationException(arch + ".rope.scaling.type '" + scaling
                    + "' is not supported; jllm supports: none (and Llama-3 rope_freqs factors)");
        }
        int embeddingLength = metadata.getInt(arch + ".embedding_length");
        int headCount = metadata.getInt(arch + ".attention.head_count");
        positive(arch + ".attention.head_count", headCount);
        int defaultHeadSize = embeddingLength / headCount;
        int keyLength = metadata.getInt(arch + ".attention.key_length", defaultHeadSize);
        int vocabSize = metadata.getInt(arch + ".vocab_size", embeddingRows);
        if (vocabSize != embeddingRows) {
            throw new IllegalArgumentException(arch + ".vocab_size is " + vocabSize + " but token_embd.weight has "
                    + embeddingRows + " rows");
        }
        float ropeFreqBase = metadata.getFloat(arch + ".rope.freq_base", 10000f);
        return new ModelConfig(
                arch,
                vocabSize,
                metadata.getInt(arch + ".context_length"),
                embeddingLength,
                metadata.getInt(arch + ".feed_forward_length"),
                metadata.getInt(arch + ".block_count"),
                headCount,
                metadata.getInt(arch + ".attention.head_count_kv", headCount),
                keyLength,
                metadata.getInt(arch + ".attention.value_length", defaultHeadSize),
                metadata.getFloat(arch + ".attention.layer_norm_rms_epsilon"),
                ropeFreqBase,
                metadata.getInt(arch + ".rope.dimension_count", keyLength),
                metadata.getInt(arch + ".attention.sliding_window", 0),
                metadata.getFloat(arch + ".rope.freq_base_swa", ropeFreqBase),
                0f);
    }

    public ModelConfig withRopeFreqBaseSwa(float base) {
        return new ModelConfig(architecture, vocabSize, contextLength, embeddingLength, feedForwardLength, blockCount,
                headCount, headCountKv, keyLength, valueLength, layerNormRmsEpsilon, ropeFreqBase, ropeDimensionCount,
                slidingWindow, base, finalLogitSoftcapping);
    }

    public ModelConfig withFinalLogitSoftcapping(float cap) {
        return new ModelConfig(architecture, vocabSize, contextLength, embeddingLength, feedForwardLength, blockCount,
                headCount, headCountKv, keyLength, valueLength, layerNormRmsEpsilon, ropeFreqBase, ropeDimensionCount,
                slidingWindow, ropeFreqBaseSwa, cap);
    }

    /** Floats in one token's query row: every head's query. */
    public int queryRowLength() {
        return headCount * keyLength;
    }

    /** Floats in one token's key row (the KV cache's keys per position). */
    public int keyRowLength() {
        return headCountKv * keyLength;
    }

    /** Floats in one token's value row (the KV cache's values per position). */
    public int valueRowLength() {
        return headCountKv * valueLength;
    }

    /** Floats in one token's attention output, the input of {@code attn_output}. */
    public int attentionRowLength() {
        return headCount * valueLength;
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
