package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: super-blocks of 256 weights in 176 bytes, 5.5 bits per weight; 8 sub-blocks of 32 weights.
 * <pre>
 * offset  size  field
 *      0     2  d        fp16 super-scale of the scales
 *      2     2  dmin     fp16 super-scale of the mins
 *      4    12  scales   eight 6-bit scales and eight 6-bit mins, see {@link KScales}
 *     16    32  qh[32]   fifth bit: weight i is bit i / 32 of qh[i % 32]
 *     48   128  qs[128]  low 4 bits, laid out as in Q4_K: weight 64c + l (l &lt; 32) in the low nibble of
 *                        qs[32c + l], weight 64c + 32 + l in its high nibble
 * </pre>
 * Weight i = (d * scale) * q - dmin * min, with the scale and min of sub-block i / 32.
 */
final class Q5_KCodec implements BlockDequantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        float dmin = BlockBytes.f16(src, offset + 2);
        for (int sub = 0; sub < 8; sub++) {
            float dl = d * KScales.scale(src, offset + 4, sub);
            float ml = dmin * KScales.min(src, offset + 4, sub);
            int shift = 4 * (sub % 2);
            for (int l = 0; l < 32; l++) {
                int low = BlockBytes.u8(src, offset + 48 + sub / 2 * 32 + l) >> shift & 0xF;
                int high = BlockBytes.u8(src, offset + 16 + l) >> sub & 1;
                dst[at + 32 * sub + l] = dl * (low | high << 4) - ml;
            }
        }
    }
}
