package io.jllm.gguf.codec;

/**
 * How llama.cpp's x86 CPU backend quantizes a float activation row before multiplying it with quantized weights
 * (ggml {@code quantize_row_q8_0} in {@code ggml-cpu/arch/x86/quants.c}, the AVX path). It differs from the
 * weight encoder {@link Q8_0Codec} (quants.py) in two details that can move a quant by one: the inverse scale is
 * {@code 127 / max|x|} rather than {@code 1 / d}, and halves round to even. The fast integer kernels must
 * reproduce it exactly to agree with llama.cpp's logits.
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
        if (count % 32 != 0) {
            throw new IllegalArgumentException("Q8_0 activations come in blocks of 32, not " + count);
        }
        for (int block = 0; block < count / 32; block++) {
            int at = offset + block * 32;
            float max = 0;
            for (int j = 0; j < 32; j++) {
                max = Math.max(max, Math.abs(x[at + j]));
            }
            scales[block] = Fp16.toFloat(Fp16.fromFloat(max / 127f));
            float id = max != 0 ? 127f / max : 0f;
            for (int j = 0; j < 32; j++) {
                quants[block * 32 + j] = (byte) Math.rint(x[at + j] * id);
            }
        }
    }
}
