package io.jllm.engine.ops;

/** Which elements of a head RoPE rotates together. */
public enum RopeLayout {
    /** Pairs {@code (x[2i], x[2i+1])}: llama.cpp's {@code LLAMA_ROPE_TYPE_NORM} (Llama). */
    ADJACENT_PAIRS,
    /** Pairs {@code (x[i], x[i + d/2])}: llama.cpp's {@code LLAMA_ROPE_TYPE_NEOX} (Qwen, GPT-NeoX). */
    SPLIT_HALVES
}
