package io.jllm.engine.quant;

/**
 * A matrix whose rows are not a whole number of the repacked layout's column groups (SmolLM2's 576 columns are
 * one group of 512 and 64 more): the leading whole groups repacked ({@code head}), the few trailing blocks
 * multiplied on a compact copy of the stored blocks ({@code tail}, which adds to the outputs). Padding every row
 * to whole groups instead would stream zeros: 448 of every 1024 weights for SmolLM2. Its activations are
 * {@link SplitActivations}, each part quantized as the whole row would be (blocks of 32 are independent).
 */
public final class SplitMatrix implements IntegerMatrix {
    private final IntegerMatrix head;
    private final IntegerMatrix tail;
    private final ActivationFormat format;

    /** {@code head} over the leading {@link SplitActivations#headColumns} columns, {@code tail} over the rest. */
    public SplitMatrix(IntegerMatrix head, IntegerMatrix tail) {
        int columns = head.columns() + tail.columns();
        if (head.rows() != tail.rows() || head.columns() != SplitActivations.headColumns(columns)
                || head.format() != ActivationFormat.Q8_0_INTERLEAVED) {
            throw new IllegalArgumentException("a split matrix needs a repacked head of whole groups and a tail of "
                    + "the same rows, not " + head.rows() + " x " + head.columns() + " (" + head.format() + ") and "
                    + tail.rows() + " x " + tail.columns() + " (" + tail.format() + ")");
        }
        this.head = head;
        this.tail = tail;
        this.format = ActivationFormat.split(tail.format());
    }

    @Override
    public int rows() {
        return head.rows();
    }

    @Override
    public int columns() {
        return head.columns() + tail.columns();
    }

    @Override
    public ActivationFormat format() {
        return format;
    }

    @Override
    public void multiply(QuantizedActivations x, int rowStart, int rowEnd, float[][] out) {
        if (!(x instanceof SplitActivations split) || split.format() != format) {
            throw new IllegalArgumentException("this matrix multiplies " + format + " activations, not "
                    + x.getClass().getSimpleName());
        }
        head.multiply(split.head(), rowStart, rowEnd, out);
        tail.multiply(split.tail(), rowStart, rowEnd, out);
    }

    @Override
    public long byteSize() {
        return head.byteSize() + tail.byteSize();
    }
}
