package io.jllm.engine.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The gated feed-forward activation: {@code gate[i] = silu(gate[i]) * up[i]}, with {@code silu(x) = x / (1 + e^-x)}. */
public final class SwiGlu {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SwiGlu() {
    }

    /** Overwrites {@code gate[0, n)} with the activation. */
    public static void apply(float[] gate, float[] up, int n) {
        int upper = SPECIES.loopBound(n);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector g = FloatVector.fromArray(SPECIES, gate, i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            silu.mul(FloatVector.fromArray(SPECIES, up, i)).intoArray(gate, i);
        }
        for (; i < n; i++) {
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
