package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q5_1: blocks of 32 weights in 24 bytes, 6 bits per weight.
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2     2  m      fp16 minimum
 *      4     4  qh     uint32: bit j is the fifth bit of weight j
 *      8    16  qs[16] byte j: low four bits of weight j (low nibble) and of weight j + 16 (high nibble)
 * </pre>
 * Weight = q * d + m. Encoding matches {@code quants.py} {@code Q5_1} (and ggml's
 * {@code quantize_row_q5_1_ref}): {@code d = (max - min) / 31}, {@code q = min(31, trunc((x - min) / d + 0.5))}.
 */
final class Q5_1Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        float m = BlockBytes.f16(src, offset + 2);
        int qh = BlockBytes.i32(src, offset + 4);
        for (int j = 0; j < 16; j++) {
            int b = BlockBytes.u8(src, offset + 8 + j);
            int lo = b & 0xF | (qh >>> j & 1) << 4;
            int hi = b >> 4 | (qh >>> (j + 16) & 1) << 4;
            dst[at + j] = d * lo + m;
            dst[at + j + 16] = d * hi + m;
        }
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        float min = QuantMath.min(src, at, 32);
        float d = (QuantMath.max(src, at, 32) - min) / 31;
        float id = d == 0 ? 0 : 1 / d;
        BlockBytes.putF16(dst, offset, d);
        BlockBytes.putF16(dst, offset + 2, min);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) ((src[at + j] - min) * id + 0.5f));
            int hi = Math.min(31, (int) ((src[at + j + 16] - min) * id + 0.5f));
            BlockBytes.putU8(dst, offset + 8 + j, lo & 0xF | (hi & 0xF) << 4);
            qh |= (lo >> 4) << j | (hi >> 4) << (j + 16);
        }
        BlockBytes.putI32(dst, offset + 4, qh);
    }
}
