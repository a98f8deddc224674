package io.jllm.gguf.codec;

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
            java.util.Arrays.fill(levels, levelsAt, levelsAt + n, (byte) 0);
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
            java.util.Arrays.fill(levels, levelsAt, levelsAt + n, (byte) 0);
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

    /** ggml's {@code GROUP_MAX_EPS}: below this magnitude a group counts as all zero. */
    static final float GROUP_MAX_EPS = 1e-15f;
}
