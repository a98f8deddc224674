package io.jllm.engine.quant;

import io.jllm.engine.quant.type.Q8_0Activations;

/**
 * Activations for a {@link SplitMatrix}: the leading whole groups of each vector quantized for the repacked head
 * ({@link ActivationFormat#Q8_0_INTERLEAVED}), the rest in row order for the tail's stored blocks. Blocks of 32
 * are quantized independently, so each part holds exactly what quantizing the whole vector would.
 */
public final class SplitActivations implements QuantizedActivations {
    private final ActivationFormat format;
    private final QuantizedActivations head;
    private final QuantizedActivations tail;
    /** Per vector, its trailing values, handed to the tail's quantizer. */
    private final float[][] tailValues;
    private int vectors;
    private int columns;
    private int headColumns;

    SplitActivations(ActivationFormat format, ActivationFormat tailFormat, int maxVectors, int maxColumns) {
        this.format = format;
        this.head = ActivationFormat.Q8_0_INTERLEAVED.allocate(maxVectors, maxColumns);
        int maxTail = Math.min(maxColumns, Q8_0Activations.GROUP_COLUMNS);
        this.tail = tailFormat.allocate(maxVectors, maxTail);
        this.tailValues = new float[maxVectors][maxTail];
    }

    /** The columns a split row of {@code columns} repacks: its whole groups of the interleaved layout. */
    public static int headColumns(int columns) {
        return columns / Q8_0Activations.GROUP_COLUMNS * Q8_0Activations.GROUP_COLUMNS;
    }

    ActivationFormat format() {
        return format;
    }

    QuantizedActivations head() {
        return head;
    }

    QuantizedActivations tail() {
        return tail;
    }

    @Override
    public void reset(int vectors, int columns) {
        int headColumns = headColumns(columns);
        if (headColumns == 0 || headColumns == columns) {
            throw new IllegalArgumentException("a row of " + columns + " values does not split into whole groups of "
                    + Q8_0Activations.GROUP_COLUMNS + " and a tail");
        }
        head.reset(vectors, headColumns);
        tail.reset(vectors, columns - headColumns);
        this.vectors = vectors;
        this.columns = columns;
        this.headColumns = headColumns;
    }

    @Override
    public void quantize(int n, float[] x) {
        head.quantize(n, x);
        System.arraycopy(x, headColumns, tailValues[n], 0, columns - headColumns);
        tail.quantize(n, tailValues[n]);
    }

    @Override
    public int vectors() {
        return vectors;
    }

    @Override
    public int columns() {
        return columns;
    }
}
