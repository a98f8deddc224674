package io.jllm.engine.ops;

import io.jllm.engine.quant.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise helpers used between the kernels: dot product, {@code a += b}, {@code y += s·x}, {@code x *= s}. */
public final class VectorMath {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** {@code sum(a[aOff+i] * b[bOff+i])} for {@code i < n}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int upper = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc);
        }
        float sum = Lanes.sum(acc);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** {@code y[yOff+i] += s * x[xOff+i]} for {@code i < n}. */
    public static void addScaled(float[] y, int yOff, float s, float[] x, int xOff, int n) {
        int upper = SPECIES.loopBound(n);
        FloatVector scale = FloatVector.broadcast(SPECIES, s);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOff + i).fma(scale, FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }

    /** {@code y[i] += x[i]} for {@code i < n}. */
    public static void add(float[] y, float[] x, int n) {
        int upper = SPECIES.loopBound(n);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, y, i).add(FloatVector.fromArray(SPECIES, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += x[i];
        }
    }

    /** {@code x[i] *= s} for {@code i < n}. */
    public static void scale(float[] x, float s, int n) {
        int upper = SPECIES.loopBound(n);
        int i = 0;
        for (; i < upper; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).mul(s).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] *= s;
        }
    }
}
