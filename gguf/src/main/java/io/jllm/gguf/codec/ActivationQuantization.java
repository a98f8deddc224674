package io.jllm.gguf.codec;

/**
 * How llama.cpp's x86 CPU backend quantizes a float activation row before multiplying it with quantized weights
 * (ggml {@code quantize_row_q8_0} in {@code ggml-cpu/arch/x86/quants.c}, the AVX path, and
 * {@code quantize_row_q8_K}, which on x86 is {@code quantize_row_q8_K_ref} of {@code ggml-quants.c}). Q8_0 differs
 * from the weight encoder {@link Q8_0Codec} (quants.py) in two details that can move a quant by one: the inverse
 * scale is {@code 127 / max|x|} rather than {@code 1 / d}, and halves round to even. The fast integer kernels must
 * reproduce these exactly to agree with llama.cpp's logits. Q8_1 ({@code quantize_row_q8_1}, the partner of Q4_1
 * and Q5_1 weights) is Q8_0 plus a per-block {@code s = d * sum(q)}.
 */
public final class ActivationQuantization {
    private ActivationQuantization() {
    }

    /**
     * Quantizes {@code x[offset, offset + count)} ({@code count} a multiple of 32) into Q8_0 blocks:
     * {@code quants[i]} for value {@code i}, and per block the fp16-rounded scale {@code d = max|x| / 127} as a
     * float in {@code scales[block]}.
     */
    public static void q8_0(float[] x, int offset, int count, byte[] quants, float[] scales) {
        quantize(x, offset, count, quants, scales, null);
    }

    /**
     * Quantizes like {@link #q8_0} and also writes per block {@code sums[block] = d * sum(q)}, computed as
     * llama.cpp's AVX2 code does: the unrounded float {@code d = max|x| / 127} times the integer quant sum, the
     * product rounded to fp16 (returned as a float).
     */
    public static void q8_1(float[] x, int offset, int count, byte[] quants, float[] scales, float[] sums) {
        quantize(x, offset, count, quants, scales, sums);
    }

    private static void quantize(float[] x, int offset, int count, byte[] quants, float[] scales, float[] sums) {
        if (count % 32 != 0) {
            throw new IllegalArgumentException("Q8 activations come in blocks of 32, not " + count);
        }
        for (int block = 0; block < count / 32; block++) {
            int at = offset + block * 32;
            float max = q8_0Max(x, at);
            scales[block] = q8_0Scale(max);
            float id = q8_0InverseScale(max);
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                int q = q8_0Quant(id, x[at + j]);
                quants[block * 32 + j] = (byte) q;
                sum += q;
            }
            if (sums != null) {
                sums[block] = q8_1Sum(max, sum);
            }
        }
    }

    /** The largest magnitude in the Q8_0 (or Q8_1) block {@code x[at, at + 32)}; the scale is {@code max / 127}. */
    public static float q8_0Max(float[] x, int at) {
        float max = 0;
        for (int j = 0; j < 32; j++) {
            max = Math.max(max, Math.abs(x[at + j]));
        }
        return max;
    }

    /** A Q8_0 (or Q8_1) block's stored scale: {@code max / 127} rounded to fp16, as a float. */
    public static float q8_0Scale(float max) {
        return Fp16.toFloat(Fp16.fromFloat(max / 127f));
    }

    /**
     * A Q8_1 block's stored sum {@code s}: the unrounded {@code max / 127} times the block's quant sum, rounded
     * to fp16 (llama.cpp's AVX code does not use the rounded scale here).
     */
    public static float q8_1Sum(float max, int quantSum) {
        return Fp16.toFloat(Fp16.fromFloat(max / 127f * quantSum));
    }

    /** The factor that takes a block's values to quants: {@code 127 / max}, 0 for an all-zero block. */
    public static float q8_0InverseScale(float max) {
        return max != 0 ? 127f / max : 0f;
    }

    /** The Q8_0 (or Q8_1) quant of {@code value}: {@code rint(value * inverseScale)}, halves to even. */
    public static int q8_0Quant(float inverseScale, float value) {
        return (int) Math.rint(value * inverseScale);
    }

    /**
     * Quantizes {@code x[offset, offset + count)} ({@code count} a multiple of 256) into Q8_K blocks, the partner
     * format of the K-quants: per block of 256 the value {@code max} of largest magnitude (the first one, sign
     * kept), {@code iscale = -127 / max}, {@code quants[i] = min(127, rint(iscale * x[i]))} (halves to even, as
     * ggml's {@code nearest_int}), the float scale {@code scales[block] = 1 / iscale}, and the sum of each 16
     * quants in {@code sums[16 block + j]}. An all-zero block gets zero quants, scale and sums.
     */
    public static void q8_K(float[] x, int offset, int count, byte[] quants, float[] scales, short[] sums) {
        if (count % 256 != 0) {
            throw new IllegalArgumentException("Q8_K activations come in blocks of 256, not " + count);
        }
        for (int block = 0; block < count / 256; block++) {
            int at = offset + block * 256;
            float max = q8_KMax(x, at);
            float iscale = max == 0 ? 0f : -127f / max;
            scales[block] = max == 0 ? 0f : 1f / iscale;
            for (int j = 0; j < 256; j++) {
                quants[block * 256 + j] = (byte) q8_KQuant(iscale, x[at + j]);
            }
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int j = 0; j < 16; j++) {
                    sum += quants[block * 256 + 16 * g + j];
                }
                sums[block * 16 + g] = (short) sum;
            }
        }
    }

    /**
     * The value of largest magnitude of the Q8_K block {@code x[at, at + 256)}, sign kept (the first such value; 0
     * for an all-zero block): {@code iscale = -127 / max} and the scale {@code 1 / iscale} follow from it.
     */
    public static float q8_KMax(float[] x, int at) {
        float max = 0;
        float amax = 0;
        for (int j = 0; j < 256; j++) {
            float ax = Math.abs(x[at + j]);
            if (ax > amax) {
                amax = ax;
                max = x[at + j];
            }
        }
        return max;
    }

    /** The Q8_K quant of {@code value} under the block's {@code iscale}: {@code min(127, rint(iscale value))}. */
    public static int q8_KQuant(float iscale, float value) {
        return Math.min(127, (int) Math.rint(iscale * value));
    }
}
