package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.parallel.RangeTask;
import io.jllm.engine.quant.PackedMatrix;
import io.jllm.engine.quant.type.Q8_0Activations;

import java.util.Arrays;

/**
 * One session's matrix products {@code out[i] = m · in[i]}. Matrices repacked for the integer path get their
 * input quantized once (in parallel over tokens), then one parallel region over the rows of every matrix that
 * shares that input (Q, K and V; gate and up), so workers are handed work once per input instead of once per
 * matrix. Other matrices go through their float kernel, up to {@link #KERNEL_BATCH} token vectors per call.
 * The integer path allocates nothing per product: its tasks and buffers are made once per session.
 */
final class MatrixProducts {
    /** Token vectors per float kernel call, the most a kernel reuses an unpacked block for. */
    static final int KERNEL_BATCH = 8;
    /** Matrix rows are handed to workers in multiples of this. */
    private static final int ROW_GRAIN = 32;

    private final RangeExecutor executor;
    private final Q8_0Activations activations;
    private final PackedMatrix[] matrices = new PackedMatrix[3];
    private final float[][][] outputs = new float[3][][];
    private final int[] firstRow = new int[4];
    private int count;
    private float[][] input;

    private final RangeTask quantize;
    private final RangeTask rows;

    MatrixProducts(RangeExecutor executor, int batchSize, int maxColumns) {
        this.executor = executor;
        this.activations = new Q8_0Activations(batchSize, maxColumns);
        this.quantize = this::quantizeTokens;
        this.rows = this::multiplyRows;
    }

    private void quantizeTokens(int worker, int from, int to) {
        for (int i = from; i < to; i++) {
            activations.quantize(i, input[i]);
        }
    }

    private void multiplyRows(int worker, int from, int to) {
        for (int m = 0; m < count; m++) {
            int start = Math.max(from, firstRow[m]);
            int end = Math.min(to, firstRow[m + 1]);
            if (start < end) {
                matrices[m].multiply(activations, start - firstRow[m], end - firstRow[m], outputs[m]);
            }
        }
    }

    void multiply(int n, float[][] in, Matrix a, float[][] outA) {
        if (a.packed() == null) {
            floatProduct(a, in, outA, n);
            return;
        }
        prepare(n, in, a.columns());
        add(a, outA);
        run();
    }

    void multiply(int n, float[][] in, Matrix a, float[][] outA, Matrix b, float[][] outB) {
        if (a.packed() == null || b.packed() == null) {
            multiply(n, in, a, outA);
            multiply(n, in, b, outB);
            return;
        }
        prepare(n, in, a.columns());
        add(a, outA);
        add(b, outB);
        run();
    }

    void multiply(int n, float[][] in, Matrix a, float[][] outA, Matrix b, float[][] outB, Matrix c, float[][] outC) {
        if (a.packed() == null || b.packed() == null || c.packed() == null) {
            multiply(n, in, a, outA);
            multiply(n, in, b, outB);
            multiply(n, in, c, outC);
            return;
        }
        prepare(n, in, a.columns());
        add(a, outA);
        add(b, outB);
        add(c, outC);
        run();
    }

    private void prepare(int n, float[][] in, int columns) {
        activations.reset(n, columns);
        input = in;
        if (n == 1) {
            activations.quantize(0, in[0]);
        } else {
            executor.forRange(n, 1, quantize);
        }
        input = null;
        count = 0;
    }

    private void add(Matrix m, float[][] out) {
        matrices[count] = m.packed();
        outputs[count] = out;
        firstRow[count + 1] = firstRow[count] + m.rows();
        count++;
    }

    private void run() {
        executor.forRange(firstRow[count], ROW_GRAIN, rows);
        Arrays.fill(matrices, null);
        Arrays.fill(outputs, null);
    }

    /**
     * The float path: rows of {@code m} split across workers; each worker passes its rows over groups of up to
     * {@link #KERNEL_BATCH} tokens, so its slice of the weights stays in cache between groups.
     */
    private void floatProduct(Matrix m, float[][] in, float[][] out, int n) {
        int groups = Math.ceilDiv(n, KERNEL_BATCH);
        float[][][] inGroups = new float[groups][][];
        float[][][] outGroups = new float[groups][][];
        for (int g = 0; g < groups; g++) {
            int from = g * KERNEL_BATCH;
            int to = Math.min(n, from + KERNEL_BATCH);
            inGroups[g] = Arrays.copyOfRange(in, from, to);
            outGroups[g] = Arrays.copyOfRange(out, from, to);
        }
        executor.forRange(m.rows(), ROW_GRAIN, (worker, from, to) -> {
            for (int g = 0; g < groups; g++) {
                m.kernel().multiply(m.data(), m.columns(), from, to, inGroups[g], outGroups[g]);
            }
        });
    }
}
