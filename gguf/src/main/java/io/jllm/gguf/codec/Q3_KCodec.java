package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q3_K: super-blocks of 256 weights in 110 bytes, 3.4375 bits per weight; 16 sub-blocks of 16 weights.
 * <pre>
 * offset  size  field
 *      0    32  hmask[32]  high bit: weight i is bit i / 32 of hmask[i % 32]; a SET bit means no offset
 *     32    64  qs[64]     low 2 bits; weight 128h + 32s + l is bits 2s..2s+1 of qs[32h + l]
 *     96    12  scales     16 signed 6-bit scales, stored + 32: low nibbles of scale k in byte k (k &lt; 8,
 *                          low nibble) or byte k - 8 (k &gt;= 8, high nibble); high two bits of scale k are
 *                          bits 2(k / 4).. of byte 8 + k % 4
 *    108     2  d          fp16 super-scale
 * </pre>
 * Weight i = (d * (scale - 32)) * (low2 - (highbit ? 0 : 4)).
 */
final class Q3_KCodec implements BlockDequantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset + 108);
        for (int i = 0; i < 256; i++) {
            float dl = d * (scale(src, offset + 96, i / 16) - 32);
            int low = BlockBytes.u8(src, offset + 32 + i / 128 * 32 + i % 32) >> (2 * (i % 128 / 32)) & 3;
            int high = BlockBytes.u8(src, offset + i % 32) >> (i / 32) & 1;
            dst[at + i] = dl * (low - (high == 0 ? 4 : 0));
        }
    }

    private static int scale(MemorySegment src, long scales, int k) {
        int low = k < 8 ? BlockBytes.u8(src, scales + k) & 0xF : BlockBytes.u8(src, scales + k - 8) >> 4;
        int high = BlockBytes.u8(src, scales + 8 + k % 4) >> (2 * (k / 4)) & 3;
        return low | high << 4;
    }
}
