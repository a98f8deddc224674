package io.jllm.engine.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Softmax in place over {@code x[off, off+n)}, shifted by the maximum so large scores do not overflow. */
public final class Softmax {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private Softmax() {
    }

    public static void apply(float[] x, int off, int n) {
        int upper = SPECIES.loopBound(n);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (upper > 0) {
            FloatVector m = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (; i < upper; i += SPECIES.length()) {
                m = m.max(FloatVector.fromArray(SPECIES, x, off + i));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        // Math.exp, not the Vector API's lanewise EXP: that one gives other bits once compiled than interpreted.
        double sum = 0;
        for (i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inverse = (float) (1.0 / sum);
        i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, off + i).mul(inverse).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= inverse;
        }
    }

    /** The scalar reference of {@link #apply}, accumulating in double precision. */
    public static void reference(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = Math.exp(x[off + i] - max);
            sum += e[i];
        }
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) (e[i] / sum);
        }
    }
}
