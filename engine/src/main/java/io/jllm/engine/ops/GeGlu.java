package io.jllm.engine.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GELU-gated feed-forward activation (Gemma): {@code gate[i] = gelu(gate[i]) * up[i]}, with GELU in its
 * tanh approximation {@code gelu(x) = x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³)))}, as ggml's {@code gelu}.
 */
public final class GeGlu {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;
    private static final float COEF_A = 0.044715f;

    private GeGlu() {
    }

    /** Overwrites {@code gate[0, n)} with the activation. */
    public static void apply(float[] gate, float[] up, int n) {
        int upper = SPECIES.loopBound(n);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, gate, i);
            FloatVector inner = x.mul(x).mul(COEF_A).add(1f).mul(x).mul(SQRT_2_OVER_PI);
            FloatVector gelu = inner.lanewise(VectorOperators.TANH).add(1f).mul(x).mul(0.5f);
            gelu.mul(FloatVector.fromArray(SPECIES, up, i)).intoArray(gate, i);
        }
        for (; i < n; i++) {
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
