package io.jllm.engine.ops;

/**
 * The GELU-gated feed-forward activation (Gemma): {@code gate[i] = gelu(gate[i]) * up[i]}, with GELU in its
 * tanh approximation {@code gelu(x) = x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³)))}, as ggml's {@code gelu}.
 */
public final class GeGlu {
    private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;
    private static final float COEF_A = 0.044715f;

    private GeGlu() {
    }

    /**
     * Overwrites {@code gate[0, n)} with the activation. Scalar on purpose: the Vector API's lanewise TANH gives
     * different bits in interpreted and compiled code, so results changed as the JIT warmed up; Math.tanh is the
     * same in both.
     */
    public static void apply(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            float x = gate[i];
            gate[i] = (float) (0.5f * x * (1 + Math.tanh(SQRT_2_OVER_PI * x * (1 + COEF_A * x * x)))) * up[i];
        }
    }

    /** The scalar reference of {@link #apply}, in double precision. */
    public static void reference(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            double x = gate[i];
            double gelu = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            gate[i] = (float) (gelu * up[i]);
        }
    }
}
