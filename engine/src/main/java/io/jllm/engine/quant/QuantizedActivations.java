package io.jllm.engine.quant;

/**
 * Activation vectors quantized to the block format an {@link IntegerMatrix} multiplies with. Buffers are
 * allocated once (see {@link ActivationFormat#allocate}) and reused for every product.
 */
public interface QuantizedActivations {

    /** Declares the shape of the next quantization: {@code vectors} vectors of {@code columns} values. */
    void reset(int vectors, int columns);

    /** Quantizes {@code x[0, columns)} as vector {@code n}. Distinct vectors may be quantized concurrently. */
    void quantize(int n, float[] x);

    int vectors();

    int columns();
}
