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
 * matrix; the {@code gguf} Python package cannot encode K-quants): each sub-block is fitted by
 * {@code make_qkx2_quants} with weights {@code rms + |x|}, the scales and mins are quantized to 6 bits against
 * their maxima, and the weights are then re-quantized with the stored scales.
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
        byte[] levels = new byte[256];
        float[] weights = new float[32];
        float[] scales = new float[8];
        float[] mins = new float[8];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) {
                sumX2 += x[at + 32 * j + l] * x[at + 32 * j + l];
            }
            float rms = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) {
                weights[l] = rms + Math.abs(x[at + 32 * j + l]);
            }
            KQuantSearch.ScaleMin fit = KQuantSearch.makeQkx2Quants(32, 15, x, at + 32 * j, weights, levels,
                    32 * j, -1f, 0.1f, 20, false);
            scales[j] = fit.scale();
            mins[j] = fit.min();
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        int[] scaleLevels = new int[8];
        int[] minLevels = new int[8];
        for (int j = 0; j < 8; j++) {
            scaleLevels[j] = Math.min(63, QuantMath.nearestInt(invScale * scales[j]) & 0xFF);
            minLevels[j] = Math.min(63, QuantMath.nearestInt(invMin * mins[j]) & 0xFF);
        }
        KScales.pack(dst, offset + 4, scaleLevels, minLevels);
        BlockBytes.putF16(dst, offset, maxScale / 63f);
        BlockBytes.putF16(dst, offset + 2, maxMin / 63f);
        float d = BlockBytes.f16(dst, offset);
        float dmin = BlockBytes.f16(dst, offset + 2);
        for (int j = 0; j < 8; j++) {
            float dl = d * scaleLevels[j];
            if (dl == 0) {
                continue;
            }
            float ml = dmin * minLevels[j];
            for (int l = 0; l < 32; l++) {
                int q = QuantMath.nearestInt((x[at + 32 * j + l] + ml) / dl);
                levels[32 * j + l] = (byte) Math.max(0, Math.min(15, q));
            }
        }
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                BlockBytes.putU8(dst, offset + 16 + 32 * c + l, levels[64 * c + l] | levels[64 * c + 32 + l] << 4);
            }
        }
    }
}
