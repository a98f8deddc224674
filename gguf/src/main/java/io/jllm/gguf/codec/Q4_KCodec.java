package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K: super-blocks of 256 weights in 144 bytes, 4.5 bits per weight; 8 sub-blocks of 32 weights.
 * <pre>
 * offset  size  field
 *      0     2  d        fp16 super-scale of the scales
 *      2     2  dmin     fp16 super-scale of the mins
 *      4    12  scales   eight 6-bit scales and eight 6-bit mins, see {@link KScales}
 *     16   128  qs[128]  weight 64c + l (l &lt; 32) is the low nibble of qs[32c + l], weight 64c + 32 + l
 *                        its high nibble
 * </pre>
 * Weight i = (d * scale) * q - dmin * min, with the scale and min of sub-block i / 32.
 * <p>
 * Encoding ports ggml's {@code quantize_row_q4_K_ref} (what {@code llama-quantize} uses without an importance
 * matrix; the {@code gguf} Python package cannot encode K-quants), see
 * {@link KQuantSearch#encodeScalesAndMins}.
 */
final class Q4_KCodec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
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
                int q = BlockBytes.u8(src, offset + 16 + sub / 2 * 32 + l) >> shift & 0xF;
                dst[at + 32 * sub + l] = dl * q - ml;
            }
        }
    }

    @Override
    public void encodeBlock(float[] x, int at, MemorySegment dst, long offset) {
        byte[] levels = KQuantSearch.encodeScalesAndMins(x, at, 15, -1f, 0.1f, 20, dst, offset);
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                BlockBytes.putU8(dst, offset + 16 + 32 * c + l, levels[64 * c + l] | levels[64 * c + 32 + l] << 4);
            }
        }
    }
}
