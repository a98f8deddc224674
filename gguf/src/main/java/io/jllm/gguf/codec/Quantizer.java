package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Reference encoder of one ggml type, producing the same bytes as the reference implementation (the
 * {@code gguf} Python package's {@code quants.py}) up to that implementation's own rounding.
 */
public interface Quantizer {

    GgmlType type();

    /**
     * Encodes {@code src[srcOffset, srcOffset + count)} ({@code count} a whole number of blocks) into
     * {@code dst} from {@code byteOffset}.
     */
    void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long byteOffset);
}
