package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.Codecs;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a kernel must compute, from the gguf module's reference codecs: the weights decoded by
 * {@link Codecs#dequantize} and multiplied in double precision. Like llama.cpp, F16 and BF16 products see the
 * activations rounded to the weight type first; the reference rounds them through the codecs' own encoder.
 */
final class ReferenceProduct {
    /** Float sums of up to a few thousand products, in a different order, agree this closely with double ones. */
    static final double NMSE_LIMIT = 1e-10;

    private final GgmlType type;
    private final float[] weights;
    private final int rowLength;
    private float[] lastActivations;
    private float[] lastRounded;

    ReferenceProduct(GgmlType type, MemorySegment weights, int rows, int rowLength) {
        this.type = type;
        this.weights = Codecs.dequantize(type, weights, (long) rows * rowLength);
        this.rowLength = rowLength;
    }

    /** The activations as llama.cpp multiplies them with this type: rounded to F16/BF16 for those types. */
    private float[] asMultiplied(float[] x) {
        if (type != GgmlType.F16 && type != GgmlType.BF16) {
            return x;
        }
        if (x != lastActivations) {
            float[] row = java.util.Arrays.copyOf(x, rowLength);
            lastRounded = Codecs.dequantize(type, MemorySegment.ofArray(Codecs.quantize(type, row)), rowLength);
            lastActivations = x;
        }
        return lastRounded;
    }

    float[] row(int row) {
        float[] dst = new float[rowLength];
        System.arraycopy(weights, row * rowLength, dst, 0, rowLength);
        return dst;
    }

    double dot(int row, float[] activations) {
        float[] x = asMultiplied(activations);
        double sum = 0;
        for (int i = 0; i < rowLength; i++) {
            sum += (double) weights[row * rowLength + i] * x[i];
        }
        return sum;
    }

    /**
     * Checks {@code out[n][r]} against the reference for rows {@code [rowStart, rowEnd)} by normalized mean squared
     * error, and that the kernel left every other entry of {@code out} as it found it (NaN).
     */
    void assertMatches(float[][] x, float[][] out, int rowStart, int rowEnd, String what) {
        double error = 0;
        double norm = 0;
        for (int n = 0; n < x.length; n++) {
            for (int r = 0; r < out[n].length; r++) {
                if (r < rowStart || r >= rowEnd) {
                    assertThat(out[n][r]).as("%s: output %d row %d is outside the row range", what, n, r).isNaN();
                    continue;
                }
                double expected = dot(r, x[n]);
                error += (out[n][r] - expected) * (out[n][r] - expected);
                norm += expected * expected;
            }
        }
        assertThat(norm).as("%s: reference products are not all zero", what).isPositive();
        assertThat(error / norm).as("%s: NMSE against the reference", what).isLessThanOrEqualTo(NMSE_LIMIT);
    }

    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    static float[][] nanOutputs(int vectors, int rows) {
        float[][] out = new float[vectors][rows];
        for (float[] o : out) {
            java.util.Arrays.fill(o, Float.NaN);
        }
        return out;
    }

    /**
     * Asserts that {@code matrix}'s products with all of {@code x} at once are the same bits as its product with
     * each vector alone, so a prompt and a one-token decode agree exactly.
     */
    static void assertManyVectorsGiveTheBitsOfEachAlone(IntegerMatrix matrix, float[][] x, String what) {
        int vectors = x.length;
        int columns = matrix.columns();
        int rows = matrix.rows();
        QuantizedActivations all = matrix.format().allocate(vectors, columns);
        all.reset(vectors, columns);
        for (int n = 0; n < vectors; n++) {
            all.quantize(n, x[n]);
        }
        float[][] together = nanOutputs(vectors, rows);
        matrix.multiply(all, 0, rows, together);
        QuantizedActivations one = matrix.format().allocate(1, columns);
        one.reset(1, columns);
        for (int n = 0; n < vectors; n++) {
            one.quantize(0, x[n]);
            float[][] alone = nanOutputs(1, rows);
            matrix.multiply(one, 0, rows, alone);
            assertThat(together[n]).as("%s, vector %d of %d", what, n, vectors).isEqualTo(alone[0]);
        }
        assertThat(together[0]).as("%s: products are not all zero", what).isNotEqualTo(new float[rows]);
    }
}
