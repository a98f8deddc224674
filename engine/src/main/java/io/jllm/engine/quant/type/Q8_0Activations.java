package io.jllm.engine.quant.type;

import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.VectorWidth;
import io.jllm.gguf.codec.ActivationQuantization;

import java.util.Arrays;

/**
 * Activation vectors quantized to Q8_0 exactly as llama.cpp's x86 backend does before a product with Q4_0 or
 * Q8_0 weights ({@code d = max|x| / 127} rounded to fp16, {@code q = rint(x * 127 / max|x|)}), stored widened
 * to 16 bits in the order the interleaved kernels read them. Blocks go in groups of {@link #GROUP} (one per int
 * lane); within a group, value pair {@code j} (values {@code 2j, 2j+1}) of block {@code l} sits at shorts
 * {@code 2 (j GROUP + l)}, so one vector load brings pair {@code j} of every block of the group, each block in
 * its own int lane. Rows are padded with zero blocks to whole groups. Buffers are allocated once and reused.
 */
public final class Q8_0Activations implements QuantizedActivations {
    /** Blocks per group: the int lanes of the vector width. */
    public static final int GROUP = VectorWidth.FLOATS.length();
    /** Columns per group. */
    public static final int GROUP_COLUMNS = 32 * GROUP;

    final short[][] quants;
    /**
     * The same quants as floats for {@link PanelProduct}, one block per lane: value {@code j} of block {@code l}
     * of a group at {@code j GROUP + l}.
     */
    final float[][] values;
    final float[][] scales;
    /** Eight times each block's quant sum: the Q4_0 offset of 8 taken out once per block. */
    final int[][] sums8;
    /**
     * Each block's Q8_1 sum {@code s = d * sum(q)} as llama.cpp's x86 {@code quantize_row_q8_1} computes it (the
     * unrounded {@code d}, the product rounded to fp16), which Q4_1 weights' minimums multiply; Q8_1's quants
     * and {@code d} are Q8_0's.
     */
    final float[][] q8_1Sums;
    /** Zero offsets, for weights whose quants need none taken out (Q4_1). */
    final int[] noOffsets;
    private final int maxColumns;
    private int columns;
    private int vectors;

    /** Room for {@code maxVectors} vectors of up to {@code maxColumns} values. */
    public Q8_0Activations(int maxVectors, int maxColumns) {
        this.maxColumns = maxColumns;
        int padded = paddedColumns(maxColumns);
        this.quants = new short[maxVectors][padded];
        this.values = new float[maxVectors][padded];
        this.scales = new float[maxVectors][padded / 32];
        this.sums8 = new int[maxVectors][padded / 32];
        this.q8_1Sums = new float[maxVectors][padded / 32];
        this.noOffsets = new int[padded / 32];
    }

    /** {@code columns} rounded up to whole groups. */
    public static int paddedColumns(int columns) {
        return Math.ceilDiv(columns, GROUP_COLUMNS) * GROUP_COLUMNS;
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
        float[] d = scales[n];
        int[] s = sums8[n];
        float[] s1 = q8_1Sums[n];
        int blocks = columns / 32;
        for (int b = 0; b < blocks; b++) {
            int at = b * 32;
            float max = ActivationQuantization.q8_0Max(x, at);
            d[b] = ActivationQuantization.q8_0Scale(max);
            float id = ActivationQuantization.q8_0InverseScale(max);
            int base = b / GROUP * GROUP_COLUMNS + 2 * (b % GROUP);
            int lane = b / GROUP * GROUP_COLUMNS + b % GROUP;
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                int v = ActivationQuantization.q8_0Quant(id, x[at + j]);
                q[base + (j >> 1) * 2 * GROUP + (j & 1)] = (short) v;
                f[lane + j * GROUP] = v;
                sum += v;
            }
            s[b] = 8 * sum;
            s1[b] = ActivationQuantization.q8_1Sum(max, sum);
        }
        int padded = paddedColumns(columns);
        if (padded > columns) {
            for (int b = blocks; b < padded / 32; b++) {
                int base = b / GROUP * GROUP_COLUMNS + 2 * (b % GROUP);
                for (int j = 0; j < 16; j++) {
                    q[base + j * 2 * GROUP] = 0;
                    q[base + j * 2 * GROUP + 1] = 0;
                }
                int lane = b / GROUP * GROUP_COLUMNS + b % GROUP;
                for (int j = 0; j < 32; j++) {
                    f[lane + j * GROUP] = 0f;
                }
            }
            Arrays.fill(d, blocks, padded / 32, 0f);
            Arrays.fill(s, blocks, padded / 32, 0);
            Arrays.fill(s1, blocks, padded / 32, 0f);
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

    /** Value {@code i} of vector {@code n} as a quant, and its block's scale (for tests). */
    public int quant(int n, int i) {
        int b = i / 32;
        int j = i % 32;
        return quants[n][b / GROUP * GROUP_COLUMNS + 2 * (b % GROUP) + (j >> 1) * 2 * GROUP + (j & 1)];
    }

    public float scale(int n, int block) {
        return scales[n][block];
    }
}
