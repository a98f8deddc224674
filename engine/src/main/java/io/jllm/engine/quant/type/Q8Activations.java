package io.jllm.engine.quant.type;

import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.gguf.codec.ActivationQuantization;

/**
 * Activation vectors quantized to Q8_0 or Q8_1 blocks exactly as llama.cpp's x86 backend does before a product
 * with weights stored in 32-weight blocks ({@code quantize_row_q8_0}, {@code quantize_row_q8_1}): per block
 * {@code d = max|x| / 127} rounded to fp16 and {@code q = rint(x * 127 / max|x|)}; Q8_1 adds
 * {@code s = d * sum(q)}, taken with the unrounded {@code d} and rounded to fp16. The quants are kept in row
 * order, widened to 16 bits once here so the kernels multiply them without converting. Buffers are allocated
 * once and reused.
 */
public final class Q8Activations implements QuantizedActivations {
    final short[][] quants;
    /** The same quants as floats, for the row-panel products of many vectors. */
    final float[][] values;
    final float[][] scales;
    /** Q8_1's {@code s} per block; null for Q8_0. */
    final float[][] sums;
    private final int maxColumns;
    private int columns;
    private int vectors;

    private Q8Activations(int maxVectors, int maxColumns, boolean withSums) {
        this.maxColumns = maxColumns;
        this.quants = new short[maxVectors][maxColumns];
        this.values = new float[maxVectors][maxColumns];
        this.scales = new float[maxVectors][maxColumns / 32];
        this.sums = withSums ? new float[maxVectors][maxColumns / 32] : null;
    }

    /** Room for {@code maxVectors} Q8_0 vectors of up to {@code maxColumns} values. */
    public static Q8Activations q8_0(int maxVectors, int maxColumns) {
        return new Q8Activations(maxVectors, maxColumns, false);
    }

    /** Room for {@code maxVectors} Q8_1 vectors of up to {@code maxColumns} values. */
    public static Q8Activations q8_1(int maxVectors, int maxColumns) {
        return new Q8Activations(maxVectors, maxColumns, true);
    }

    @Override
    public void reset(int vectors, int columns) {
        if (vectors > quants.length || columns > maxColumns || columns % 32 != 0) {
            throw new IllegalArgumentException(vectors + " vectors of " + columns + " values do not fit in "
                    + quants.length + " of " + maxColumns + " (whole blocks of 32)");
        }
        this.vectors = vectors;
        this.columns = columns;
    }

    @Override
    public void quantize(int n, float[] x) {
        short[] q = quants[n];
        float[] f = values[n];
        float[] scale = scales[n];
        float[] sum = sums == null ? null : sums[n];
        for (int b = 0; b < columns / 32; b++) {
            int at = b * 32;
            float max = ActivationQuantization.q8_0Max(x, at);
            scale[b] = ActivationQuantization.q8_0Scale(max);
            float id = ActivationQuantization.q8_0InverseScale(max);
            int total = 0;
            for (int j = 0; j < 32; j++) {
                int v = ActivationQuantization.q8_0Quant(id, x[at + j]);
                q[at + j] = (short) v;
                f[at + j] = v;
                total += v;
            }
            if (sum != null) {
                sum[b] = ActivationQuantization.q8_1Sum(max, total);
            }
        }
    }

    @Override
    public int vectors() {
        return vectors;
    }

    @Override
    public int columns() {
        return columns;
    }

    /** Value {@code i} of vector {@code n} as a quant (for tests). */
    public int quant(int n, int i) {
        return quants[n][i];
    }

    /** Block {@code block}'s scale {@code d} in vector {@code n} (for tests). */
    public float scale(int n, int block) {
        return scales[n][block];
    }

    /** Block {@code block}'s {@code s} in vector {@code n}; Q8_1 only (for tests). */
    public float sum(int n, int block) {
        if (sums == null) {
            throw new IllegalStateException("Q8_0 activations carry no block sums");
        }
        return sums[n][block];
    }
}
