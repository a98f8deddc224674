package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q2_K: super-blocks of 256 weights in 84 bytes, 2.625 bits per weight; 16 sub-blocks of 16 weights.
 * <pre>
 * offset  size  field
 *      0    16  scales[16] sub-block i: scale in the low nibble, min in the high nibble
 *     16    64  qs[64]     2-bit quants; weight 128h + 32s + l is bits 2s..2s+1 of qs[32h + l]
 *     80     2  d          fp16 super-scale of the scales
 *     82     2  dmin       fp16 super-scale of the mins
 * </pre>
 * Weight i = (d * scale) * q - dmin * min, with the scale and min of sub-block i / 16.
 */
final class Q2_KCodec implements BlockDequantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset + 80);
        float dmin = BlockBytes.f16(src, offset + 82);
        for (int i = 0; i < 256; i++) {
            int sc = BlockBytes.u8(src, offset + i / 16);
            float dl = d * (sc & 0xF);
            float ml = dmin * (sc >> 4);
            int q = BlockBytes.u8(src, offset + 16 + i / 128 * 32 + i % 32) >> (2 * (i % 128 / 32)) & 3;
            dst[at + i] = dl * q - ml;
        }
    }
}
