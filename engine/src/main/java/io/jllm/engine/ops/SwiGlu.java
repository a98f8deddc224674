package io.jllm.engine.ops;

/** The gated feed-forward activation: {@code gate[i] = silu(gate[i]) * up[i]}, with {@code silu(x) = x / (1 + e^-x)}. */
public final class SwiGlu {
    private SwiGlu() {
    }

    /**
     * Overwrites {@code gate[0, n)} with the activation. Scalar on purpose: the Vector API's lanewise EXP gives
     * different bits in interpreted and compiled code, so results changed as the JIT warmed up; Math.exp is the
     * same in both.
     */
    public static void apply(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            gate[i] = silu(gate[i]) * up[i];
        }
    }

    /** The scalar reference of {@link #apply}. */
    public static void reference(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            gate[i] = (float) (gate[i] / (1 + Math.exp(-gate[i])) * up[i]);
        }
    }

    private static float silu(float x) {
        return (float) (x / (1 + Math.exp(-x)));
    }
}
