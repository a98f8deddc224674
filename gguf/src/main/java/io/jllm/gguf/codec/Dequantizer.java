package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Reference (scalar, plainly written) decoder of one ggml type: the numeric truth that fast kernels are
 * tested against. Speed is not its concern; clarity and exactness are.
 */
public interface Dequantizer {

    GgmlType type();

    /**
     * Decodes {@code count} elements (a whole number of blocks) stored from {@code byteOffset} in {@code src}
     * into {@code dst[dstOffset, dstOffset + count)}.
     */
    void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count);
}
