package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * F32: one IEEE binary32 value per element, 4 bytes, 32 bits per weight. Both directions copy the bits
 * unchanged (NaN payloads included).
 */
final class F32Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        dst[at] = Float.intBitsToFloat(BlockBytes.i32(src, offset));
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        BlockBytes.putI32(dst, offset, Float.floatToRawIntBits(src[at]));
    }
}
