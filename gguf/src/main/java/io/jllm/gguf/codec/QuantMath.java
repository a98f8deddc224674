package io.jllm.gguf.codec;

/** Rounding and block statistics shared by the encoders, each written like the reference it mirrors. */
final class QuantMath {
    private QuantMath() {
    }

    /** {@code roundf}: halves away from zero (quants.py's {@code np_roundf}). */
    static float roundHalfAway(float v) {
        float a = Math.abs(v);
        float floored = (float) Math.floor(a);
        return Math.copySign(floored + (float) Math.floor(2 * (a - floored)), v);
    }

    /**
     * ggml's {@code nearest_int}: round half to even through the float mantissa; exact for |v| below 2^22,
     * the range the K-quant encoders use it in.
     */
    static int nearestInt(float v) {
        return (Float.floatToRawIntBits(v + 12582912f) & 0x007F_FFFF) - 0x0040_0000;
    }

    /** The value with the largest magnitude, the first one on ties (numpy's argmax, ggml's strict compare). */
    static float signedAbsMax(float[] x, int at, int n) {
        float amax = 0;
        float max = 0;
        for (int i = at; i < at + n; i++) {
            if (amax < Math.abs(x[i])) {
                amax = Math.abs(x[i]);
                max = x[i];
            }
        }
        return max;
    }

    static float min(float[] x, int at, int n) {
        float min = x[at];
        for (int i = at + 1; i < at + n; i++) {
            min = Math.min(min, x[i]);
        }
        return min;
    }

    static float max(float[] x, int at, int n) {
        float max = x[at];
        for (int i = at + 1; i < at + n; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }
}
