package io.jllm.engine.quant;

import io.jllm.engine.quant.type.Q8_0Activations;

/**
 * A weight matrix repacked at load for integer products: its activations are quantized once per product
 * ({@link Q8_0Activations}) and every worker multiplies its rows with them. Like {@link MatMulKernel}, it works
 * on a range of rows and never owns threads.
 */
public interface PackedMatrix {

    int rows();

    int columns();

    /**
     * {@code out[n][r] = dot(W[r], x[n])} for every row {@code r} in {@code [rowStart, rowEnd)} and every
     * quantized vector {@code n}; allocates nothing.
     */
    void multiply(Q8_0Activations x, int rowStart, int rowEnd, float[][] out);

    /** Bytes the repacked weights occupy. */
    long byteSize();
}
