package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * BF16: the top 16 bits of an IEEE binary32 value, 2 bytes, 16 bits per weight. Decoding shifts the bits back.
 * Encoding follows {@code quants.py} (and ggml's {@code ggml_compute_fp32_to_bf16}): a NaN becomes a quiet NaN
 * keeping its sign and top payload bits, every other value rounds to nearest even (so large finite values
 * may round to infinity).
 */
final class BF16Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        dst[at] = Float.intBitsToFloat(BlockBytes.u16(src, offset) << 16);
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        long bits = Float.floatToRawIntBits(src[at]) & 0xFFFF_FFFFL;
        if ((bits & 0x7FFF_FFFFL) > 0x7F80_0000L) {
            bits = bits & 0xFFFF_0000L | 0x0040_0000L;
        }
        BlockBytes.putU16(dst, offset, (int) ((bits + 0x7FFF + (bits >> 16 & 1)) >> 16));
    }
}
