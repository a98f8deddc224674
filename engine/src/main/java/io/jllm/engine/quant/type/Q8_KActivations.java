package io.jllm.engine.quant.type;

import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.gguf.codec.ActivationQuantization;

/**
 * Activation vectors quantized to Q8_K exactly as llama.cpp's x86 backend does before a product with K-quant
 * weights ({@code quantize_row_q8_K_ref}): per block of 256 values, {@code iscale = -127 / max} where
 * {@code max} is the first value of largest magnitude with its sign, {@code q = min(127, rint(iscale * x))}, the
 * float scale {@code 1 / iscale}, and the sum of each 16 quants. The quants are kept as floats (small integers,
 * exact): the K-quant kernels multiply them with integer-valued weights in float lanes, where every partial sum
 * stays an exact integer, so the result is llama.cpp's integer dot product. Buffers are allocated once.
 */
public final class Q8_KActivations implements QuantizedActivations {
    static final int BLOCK = 256;

    final float[][] quants;
    final float[][] scales;
    /** Sum of each 16 quants, 16 per block (Q8_K's {@code bsums}). */
    final int[][] sums;
    private final int maxColumns;
    private int columns;
    private int vectors;

    /** Room for {@code maxVectors} vectors of up to {@code maxColumns} values. */
    public Q8_KActivations(int maxVectors, int maxColumns) {
        this.maxColumns = maxColumns;
        int blocks = Math.ceilDiv(maxColumns, BLOCK);
        this.quants = new float[maxVectors][blocks * BLOCK];
        this.scales = new float[maxVectors][blocks];
        this.sums = new int[maxVectors][blocks * 16];
    }

    @Override
    public void reset(int vectors, int columns) {
        if (vectors > quants.length || columns > maxColumns || columns % BLOCK != 0) {
            throw new IllegalArgumentException(vectors + " vectors of " + columns + " values do not fit in "
                    + quants.length + " of " + maxColumns + " (whole blocks of 256)");
        }
        this.vectors = vectors;
        this.columns = columns;
    }

    @Override
    public void quantize(int n, float[] x) {
        float[] q = quants[n];
        float[] d = scales[n];
        int[] s = sums[n];
        for (int b = 0; b < columns / BLOCK; b++) {
            int at = b * BLOCK;
            float max = ActivationQuantization.q8_KMax(x, at);
            float iscale = max == 0 ? 0f : -127f / max;
            d[b] = max == 0 ? 0f : 1f / iscale;
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int j = at + 16 * g; j < at + 16 * g + 16; j++) {
                    int v = ActivationQuantization.q8_KQuant(iscale, x[j]);
                    q[j] = v;
                    sum += v;
                }
                s[b * 16 + g] = sum;
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
        return (int) quants[n][i];
    }

    /** The scale of block {@code block} of vector {@code n} (for tests). */
    public float scale(int n, int block) {
        return scales[n][block];
    }

    /** The sum of quants {@code [16 group, 16 group + 16)} of vector {@code n} (for tests). */
    public int sum(int n, int group) {
        return sums[n][group];
    }
}
