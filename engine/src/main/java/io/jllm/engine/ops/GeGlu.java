package io.jllm.engine.ops;

/**
 * The GELU-gated feed-forward activation (Gemma): {@code gate[i] = gelu(gate[i]) * up[i]}, with GELU in its
 * tanh approximation {@code gelu(x) = x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³)))}, computed as ggml's CPU
 * backend does ({@code ggml_vec_geglu_f32} with {@code GGML_GELU_FP16}): the input rounded to fp16 and looked up
 * in a table of fp16 results, 0 below -10 and the identity from 10 up. The fp16 steps move results by up to
 * 1/2048 relative; imitating them keeps Gemma's logits next to llama.cpp's.
 */
public final class GeGlu {
    private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;
    private static final float COEF_A = 0.044715f;
    /** gelu of every fp16 value, rounded to fp16 (ggml's {@code ggml_table_gelu_f16}). */
    private static final short[] TABLE = table();

    private GeGlu() {
    }

    /** Overwrites {@code gate[0, n)} with the activation. */
    public static void apply(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            gate[i] = gelu(gate[i]) * up[i];
        }
    }

    /** ggml's GELU of one value: through the fp16 table between -10 and 10. */
    static float gelu(float x) {
        if (x <= -10f) {
            return 0f;
        }
        if (x >= 10f) {
            return x;
        }
        return Float.float16ToFloat(TABLE[Float.floatToFloat16(x) & 0xFFFF]);
    }

    /** GELU in single precision, as ggml's {@code ggml_gelu_f32}. */
    static float geluFloat(float x) {
        return 0.5f * x * (1f + (float) Math.tanh(SQRT_2_OVER_PI * x * (1f + COEF_A * x * x)));
    }

    private static short[] table() {
        short[] table = new short[1 << 16];
        for (int h = 0; h < table.length; h++) {
            table[h] = Float.floatToFloat16(geluFloat(Float.float16ToFloat((short) h)));
        }
        return table;
    }

    /** The exact activation in double precision (no fp16 steps), for tests. */
    public static void reference(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            double x = gate[i];
            double gelu = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            gate[i] = (float) (gelu * up[i]);
        }
    }
}
