package io.jllm.engine.quant.type;

import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.gguf.codec.ActivationQuantization;

import java.util.Arrays;

/**
 * Activation vectors quantized to Q8_K exactly as {@link Q8_KActivations} (llama.cpp's
 * {@code quantize_row_q8_K_ref}: one scale per 256 values), stored in the order of {@link Q8_0Activations}
 * (values widened to 16 bits, 32-value blocks in groups of {@link Q8_0Activations#GROUP}, one per int lane) for
 * the repacked K-quant kernels. Each 32-value block carries its super-block's scale and its own quant sum (two of
 * Q8_K's 16-value {@code bsums}), so a kernel finds both in the block's lane. Rows are padded with zero blocks to
 * whole groups. Buffers are allocated once and reused.
 */
public final class Q8_KInterleavedActivations implements QuantizedActivations {
    private static final int BLOCK = 256;
    private static final int GROUP = Q8_0Activations.GROUP;
    private static final int GROUP_COLUMNS = Q8_0Activations.GROUP_COLUMNS;

    final short[][] quants;
    /** The super-block scale of each 32-value block. */
    final float[][] scales;
    /** The quant sum of each 32-value block, as a float (exact). */
    final float[][] sums;
    private final int maxColumns;
    private int columns;
    private int vectors;

    /** Room for {@code maxVectors} vectors of up to {@code maxColumns} values. */
    public Q8_KInterleavedActivations(int maxVectors, int maxColumns) {
        this.maxColumns = maxColumns;
        int padded = Q8_0Activations.paddedColumns(Math.ceilDiv(maxColumns, BLOCK) * BLOCK);
        this.quants = new short[maxVectors][padded];
        this.scales = new float[maxVectors][padded / 32];
        this.sums = new float[maxVectors][padded / 32];
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
        short[] q = quants[n];
        float[] d = scales[n];
        float[] s = sums[n];
        for (int sb = 0; sb < columns / BLOCK; sb++) {
            float max = ActivationQuantization.q8_KMax(x, sb * BLOCK);
            float iscale = max == 0 ? 0f : -127f / max;
            float scale = max == 0 ? 0f : 1f / iscale;
            for (int b = sb * 8; b < sb * 8 + 8; b++) {
                int base = index(b, 0);
                int sum = 0;
                for (int j = 0; j < 32; j++) {
                    int v = ActivationQuantization.q8_KQuant(iscale, x[b * 32 + j]);
                    q[base + (j >> 1) * 2 * GROUP + (j & 1)] = (short) v;
                    sum += v;
                }
                d[b] = scale;
                s[b] = sum;
            }
        }
        int blocks = columns / 32;
        int paddedBlocks = Q8_0Activations.paddedColumns(columns) / 32;
        for (int b = blocks; b < paddedBlocks; b++) {
            int base = index(b, 0);
            for (int j = 0; j < 16; j++) {
                q[base + j * 2 * GROUP] = 0;
                q[base + j * 2 * GROUP + 1] = 0;
            }
        }
        Arrays.fill(d, blocks, paddedBlocks, 0f);
        Arrays.fill(s, blocks, paddedBlocks, 0f);
    }

    /** Index in {@link #quants} of value {@code j} of 32-value block {@code b}. */
    private static int index(int b, int j) {
        return b / GROUP * GROUP_COLUMNS + 2 * (b % GROUP) + (j >> 1) * 2 * GROUP + (j & 1);
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
        return quants[n][index(i / 32, i % 32)];
    }

    /** The scale of the super-block holding value {@code i} of vector {@code n} (for tests). */
    public float scale(int n, int i) {
        return scales[n][i / 32];
    }

    /** The sum of quants {@code [32 block, 32 block + 32)} of vector {@code n} (for tests). */
    public int sum(int n, int block) {
        return (int) sums[n][block];
    }
}
