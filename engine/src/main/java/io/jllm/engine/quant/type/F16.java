package io.jllm.engine.quant.type;

import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.jllm.engine.quant.type.Blocks.LANES;
import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.loadHalves;

/**
 * F16: little-endian IEEE-754 half-precision floats, 2 bytes (16 bits) per weight, no blocks.
 */
public final class F16 extends DecodingKernel {
    public static final F16 INSTANCE = new F16();

    /** 2^112: moves a half's exponent bias (15) to a float's (127); exact for normal and subnormal halves. */
    private static final float REBIAS = 0x1p112f;

    private F16() {
        super(GgmlType.F16, 1, 2);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        // llama.cpp rounds the activations to half precision before multiplying F16 weights; so do we, to match it.
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd,
                Blocks.roundToF16(x, rowLength), out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /**
     * Converts with integer operations, bit for bit as {@link Float#float16ToFloat} on all non-NaN values: the
     * magnitude bits move up to a float's position and are rescaled by {@link #REBIAS}, infinities and NaNs get
     * the all-ones exponent, and the sign is put back.
     */
    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        int bound = Blocks.FLOATS.loopBound(count);
        int i = 0;
        for (; i < bound; i += LANES) {
            IntVector half = loadHalves(weights, offset + 2L * i);
            IntVector magnitude = half.and(0x7FFF);
            IntVector moved = magnitude.lanewise(VectorOperators.LSHL, 13);
            IntVector finite = moved.reinterpretAsFloats().mul(REBIAS).reinterpretAsInts();
            IntVector bits = finite.blend(moved.or(0x7F80_0000), magnitude.compare(VectorOperators.GE, 0x7C00));
            bits.or(half.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(dst, at + i);
        }
        for (; i < count; i++) {
            dst[at + i] = fp16(weights, offset + 2L * i);
        }
    }
}
