package io.jllm.gguf.codec;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The scale searches of ggml's K-quant reference encoders ({@code ggml-quants.c}), ported operation for
 * operation in float arithmetic so that the chosen quants match llama.cpp's bit for bit.
 */
final class KQuantSearch {
    private KQuantSearch() {
    }

    /** A fitted affine quantization: weight ~ scale * level - min. */
    record ScaleMin(float scale, float min) {
    }

    /**
     * {@code make_qkx2_quants}: fits x[at, at + n) as scale * L - min with L in 0..nmax, trying
     * nstep + 1 scales around nmax / (max - min) and keeping the least weighted error. Writes the levels into
     * {@code levels[levelsAt, levelsAt + n)} and returns the scale and the (non-negative) min.
     */
    static ScaleMin makeQkx2Quants(int n, int nmax, float[] x, int at, float[] weights, byte[] levels, int levelsAt,
                                   float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[at];
        float max = x[at];
        float sumW = weights[0];
        float sumX = sumW * x[at];
        for (int i = 1; i < n; i++) {
            if (x[at + i] < min) {
                min = x[at + i];
            }
            if (x[at + i] > max) {
                max = x[at + i];
            }
            float w = weights[i];
            sumW += w;
            sumX += w * x[at + i];
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            Arrays.fill(levels, levelsAt, levelsAt + n, (byte) 0);
            return new ScaleMin(0f, -min);
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = Math.max(0, Math.min(nmax, QuantMath.nearestInt(iscale * (x[at + i] - min))));
            levels[levelsAt + i] = (byte) l;
            float diff = scale * l + min - x[at + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            return new ScaleMin(scale, -min);
        }
        byte[] aux = new byte[n];
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXl = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.max(0, Math.min(nmax, QuantMath.nearestInt(iscale * (x[at + i] - min))));
                aux[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXl += w * l * x[at + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXl - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXl) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXl / sumL2;
                }
                float error = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * aux[i] + thisMin - x[at + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    error += weights[i] * diff;
                }
                if (error < bestError) {
                    System.arraycopy(aux, 0, levels, levelsAt, n);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        return new ScaleMin(scale, -min);
    }

    /**
     * {@code make_qx_quants} with {@code rmse_type = 1} and no importance weights: fits x[at, at + n) as
     * scale * (L - nmax) with L in 0..2 nmax - 1, weighting each element by x², trying 18 scales around
     * -nmax / max (max being the value of largest magnitude). Writes the levels and returns the scale.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int at, byte[] levels, int levelsAt) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[at + i]);
            if (ax > amax) {
                amax = ax;
                max = x[at + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            Arrays.fill(levels, levelsAt, levelsAt + n, (byte) 0);
            return 0f;
        }
        float iscale = -nmax / max;
        float sumLx = 0;
        float sumL2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[at + i];
            int l = Math.max(-nmax, Math.min(nmax - 1, QuantMath.nearestInt(iscale * xi)));
            levels[levelsAt + i] = (byte) (l + nmax);
            float w = xi * xi;
            sumLx += w * xi * l;
            sumL2 += w * l * l;
        }
        float scale = sumL2 != 0 ? sumLx / sumL2 : 0f;
        float best = scale * sumLx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumLx = 0;
            sumL2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[at + i];
                int l = Math.max(-nmax, Math.min(nmax - 1, QuantMath.nearestInt(iscale * xi)));
                float w = xi * xi;
                sumLx += w * xi * l;
                sumL2 += w * l * l;
            }
            if (sumL2 > 0 && sumLx * sumLx > best * sumL2) {
                for (int i = 0; i < n; i++) {
                    int l = QuantMath.nearestInt(iscale * x[at + i]);
                    levels[levelsAt + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, l)));
                }
                scale = sumLx / sumL2;
                best = scale * sumLx;
            }
        }
        return scale;
    }

    /**
     * The shared first half of ggml's {@code quantize_row_q4_K_ref} and {@code quantize_row_q5_K_ref}: fits each
     * sub-block of 32 with {@link #makeQkx2Quants} (weights {@code rms + |x|}), quantizes the eight scales and
     * eight mins to 6 bits against their maxima, writes d, dmin and the {@link KScales} field at
     * {@code offset}, and re-quantizes the weights with the stored scales. Returns the 256 levels (0..nmax).
     */
    static byte[] encodeScalesAndMins(float[] x, int at, int nmax, float rmin, float rdelta, int nstep,
                                      MemorySegment dst, long offset) {
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
            ScaleMin fit = makeQkx2Quants(32, nmax, x, at + 32 * j, weights, levels, 32 * j, rmin, rdelta, nstep,
                    false);
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
            // ggml stores nearest_int into a uint8_t before clamping to 63: keep the same wrap-around.
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
                levels[32 * j + l] = (byte) Math.max(0, Math.min(nmax, q));
            }
        }
        return levels;
    }

    /** ggml's {@code GROUP_MAX_EPS}: below this magnitude a group counts as all zero. */
    static final float GROUP_MAX_EPS = 1e-15f;
}
