package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q4_1: blocks of 32 weights in 20 bytes, 5 bits per weight.
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2     2  m      fp16 minimum
 *      4    16  qs[16] byte j: weight j in the low nibble, weight j + 16 in the high nibble
 * </pre>
 * Weight = nibble * d + m. Encoding matches {@code quants.py} {@code Q4_1} (and ggml's
 * {@code quantize_row_q4_1_ref}): {@code d = (max - min) / 15}, {@code q = min(15, trunc((x - min) / d + 0.5))}.
 */
final class Q4_1Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        float m = BlockBytes.f16(src, offset + 2);
        for (int j = 0; j < 16; j++) {
            int b = BlockBytes.u8(src, offset + 4 + j);
            dst[at + j] = d * (b & 0xF) + m;
            dst[at + j + 16] = d * (b >> 4) + m;
        }
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        float min = QuantMath.min(src, at, 32);
        float d = (QuantMath.max(src, at, 32) - min) / 15;
        float id = d == 0 ? 0 : 1 / d;
        BlockBytes.putF16(dst, offset, d);
        BlockBytes.putF16(dst, offset + 2, min);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((src[at + j] - min) * id + 0.5f));
            int hi = Math.min(15, (int) ((src[at + j + 16] - min) * id + 0.5f));
            BlockBytes.putU8(dst, offset + 4 + j, lo | hi << 4);
        }
    }
}
