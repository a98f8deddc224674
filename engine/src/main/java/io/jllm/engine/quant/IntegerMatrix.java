package io.jllm.engine.quant;

/**
 * A weight matrix ready for integer products, as llama.cpp's CPU backend computes them: the activations are
 * quantized once per product to the block format this matrix multiplies with ({@link #format()}), and every
 * worker multiplies its rows with them. It is either a copy repacked at load ({@link MatMulKernel#pack}) or a
 * view of the stored blocks ({@link MatMulKernel#integer}). Like {@link MatMulKernel}, it works on a range of
 * rows and never owns threads.
 */
public interface IntegerMatrix {

    int rows();

    int columns();

    /** The format {@link #multiply} expects its activations in. */
    ActivationFormat format();

    /**
     * {@code out[n][r] = dot(W[r], x[n])} for every row {@code r} in {@code [rowStart, rowEnd)} and every
     * quantized vector {@code n}; {@code x} was made by {@link #format()}; allocates nothing.
     */
    void multiply(QuantizedActivations x, int rowStart, int rowEnd, float[][] out);

    /** Bytes of weights this matrix holds apart from the mapped file (0 for a view of the stored blocks). */
    long byteSize();
}
