package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.parallel.RangeTask;
import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.QuantizedActivations;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * One session's matrix products {@code out[i] = m · in[i]}. For matrices with an integer path, the input is
 * quantized once per activation format they need (in parallel over tokens), then one parallel region runs over
 * the rows of every matrix that shares that input (Q, K and V; gate and up), so workers are handed work once per
 * input instead of once per matrix. Other matrices go through their float kernel, up to {@link #KERNEL_BATCH}
 * token vectors per call. The integer path allocates nothing per product once each format's buffers exist.
 */
final class MatrixProducts {
    /** Token vectors per float kernel call, the most a kernel reuses an unpacked block for. */
    static final int KERNEL_BATCH = 8;
    /** Matrix rows are handed to workers in multiples of this. */
    private static final int ROW_GRAIN = 32;
    private static final ActivationFormat[] FORMATS = ActivationFormat.values();

    private final RangeExecutor executor;
    private final int batchSize;
    private final int maxColumns;
    private final Map<ActivationFormat, QuantizedActivations> buffers = new EnumMap<>(ActivationFormat.class);
    private final QuantizedActivations[] pending = new QuantizedActivations[FORMATS.length];
    private final IntegerMatrix[] matrices = new IntegerMatrix[3];
    private final QuantizedActivations[] inputs = new QuantizedActivations[3];
    private final float[][][] outputs = new float[3][][];
    private final int[] firstRow = new int[4];
    private int count;
    private int quantizing;
    private float[][] input;

    private final RangeTask quantize;
    private final RangeTask rows;

    MatrixProducts(RangeExecutor executor, int batchSize, int maxColumns) {
        this.executor = executor;
        this.batchSize = batchSize;
        this.maxColumns = maxColumns;
        this.quantize = this::quantizeTokens;
        this.rows = this::multiplyRows;
    }

    private void quantizeTokens(int worker, int from, int to) {
        for (int f = 0; f < quantizing; f++) {
            for (int i = from; i < to; i++) {
                pending[f].quantize(i, input[i]);
            }
        }
    }

    private void multiplyRows(int worker, int from, int to) {
        for (int m = 0; m < count; m++) {
            int start = Math.max(from, firstRow[m]);
            int end = Math.min(to, firstRow[m + 1]);
            if (start < end) {
                matrices[m].multiply(inputs[m], start - firstRow[m], end - firstRow[m], outputs[m]);
            }
        }
    }

    void multiply(int n, float[][] in, Matrix a, float[][] outA) {
        if (a.integer() == null) {
            floatProduct(a, in, outA, n);
            return;
        }
        add(a, outA);
        run(n, in);
    }

    void multiply(int n, float[][] in, Matrix a, float[][] outA, Matrix b, float[][] outB) {
        if (a.integer() == null || b.integer() == null) {
            multiply(n, in, a, outA);
            multiply(n, in, b, outB);
            return;
        }
        add(a, outA);
        add(b, outB);
        run(n, in);
    }

    void multiply(int n, float[][] in, Matrix a, float[][] outA, Matrix b, float[][] outB, Matrix c, float[][] outC) {
        if (a.integer() == null || b.integer() == null || c.integer() == null) {
            multiply(n, in, a, outA);
            multiply(n, in, b, outB);
            multiply(n, in, c, outC);
            return;
        }
        add(a, outA);
        add(b, outB);
        add(c, outC);
        run(n, in);
    }

    private void add(Matrix m, float[][] out) {
        matrices[count] = m.integer();
        outputs[count] = out;
        firstRow[count + 1] = firstRow[count] + m.rows();
        count++;
    }

    /** Quantizes {@code in} once per format the added matrices need, then multiplies all their rows. */
    private void run(int n, float[][] in) {
        int columns = matrices[0].columns();
        quantizing = 0;
        for (ActivationFormat format : FORMATS) {
            QuantizedActivations x = null;
            for (int m = 0; m < count; m++) {
                if (matrices[m].format() == format) {
                    if (x == null) {
                        x = buffers.computeIfAbsent(format, f -> f.allocate(batchSize, maxColumns));
                        x.reset(n, columns);
                        pending[quantizing++] = x;
                    }
                    inputs[m] = x;
                }
            }
        }
        input = in;
        if (n == 1) {
            quantizeTokens(0, 0, 1);
        } else {
            executor.forRange(n, 1, quantize);
        }
        input = null;
        executor.forRange(firstRow[count], ROW_GRAIN, rows);
        Arrays.fill(matrices, null);
        Arrays.fill(inputs, null);
        Arrays.fill(outputs, null);
        Arrays.fill(pending, null);
        count = 0;
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
