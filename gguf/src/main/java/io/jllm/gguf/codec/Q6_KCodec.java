package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 weights in 210 bytes, 6.5625 bits per weight; 16 sub-blocks of 16 weights.
 * <pre>
 * offset  size  field
 *      0   128  ql[128]     low 4 bits; for weight 128h + r: nibble r / 64 (low first) of ql[64h + r % 64]
 *    128    64  qh[64]      high 2 bits; for weight 128h + r: bits 2(r / 32).. of qh[32h + r % 32]
 *    192    16  scales[16]  int8 scale per sub-block of 16
 *    208     2  d           fp16 super-scale
 * </pre>
 * Weight i = (d * scale) * (q - 32), with the scale of sub-block i / 16.
 */
final class Q6_KCodec implements BlockDequantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset + 208);
        for (int i = 0; i < 256; i++) {
            int h = i / 128;
            int r = i % 128;
            int low = BlockBytes.u8(src, offset + 64 * h + r % 64) >> (4 * (r / 64)) & 0xF;
            int high = BlockBytes.u8(src, offset + 128 + 32 * h + r % 32) >> (2 * (r / 32)) & 3;
            float dl = d * BlockBytes.i8(src, offset + 192 + i / 16);
            dst[at + i] = dl * ((low | high << 4) - 32);
        }
    }
}
