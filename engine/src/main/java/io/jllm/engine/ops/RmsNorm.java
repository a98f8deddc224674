package io.jllm.engine.ops;

import io.jllm.engine.quant.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Root-mean-square normalisation: {@code out[i] = x[i] / sqrt(mean(x²) + eps) * weight[i]}. */
public final class RmsNorm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private RmsNorm() {
    }

    /** Normalises {@code x[xOff, xOff+n)} into {@code out[outOff, outOff+n)}; {@code x} and {@code out} may alias. */
    public static void apply(float[] x, int xOff, float[] weight, float eps, float[] out, int outOff, int n) {
        int upper = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            acc = v.fma(v, acc);
        }
        double sum = Lanes.sum(acc);
        for (; i < n; i++) {
            sum += (double) x[xOff + i] * x[xOff + i];
        }
        float scale = scale(sum, n, eps);
        i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i).mul(scale);
            v.mul(FloatVector.fromArray(SPECIES, weight, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    /** The scalar reference of {@link #apply}, with the sum of squares in double precision. */
    public static void reference(float[] x, int xOff, float[] weight, float eps, float[] out, int outOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[xOff + i] * x[xOff + i];
        }
        float scale = scale(sum, n, eps);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    private static float scale(double sumOfSquares, int n, float eps) {
        return (float) (1.0 / Math.sqrt(sumOfSquares / n + eps));
    }
}
