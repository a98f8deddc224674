package io.jllm.engine.quant.type;

import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.jllm.engine.quant.type.Blocks.LANES;
import static io.jllm.engine.quant.type.Blocks.SHORT_LE;
import static io.jllm.engine.quant.type.Blocks.loadHalves;

/**
 * BF16: little-endian bfloat16, the top 16 bits of an IEEE-754 float, 2 bytes (16 bits) per weight, no blocks.
 */
public final class BF16 extends DecodingKernel {
    public static final BF16 INSTANCE = new BF16();

    private BF16() {
        super(GgmlType.BF16, 1, 2);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        // llama.cpp rounds the activations to bfloat16 before multiplying BF16 weights; so do we, to match it.
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd,
                Blocks.roundToBf16(x, rowLength), out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        int bound = Blocks.FLOATS.loopBound(count);
        int i = 0;
        for (; i < bound; i += LANES) {
            loadHalves(weights, offset + 2L * i).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                    .intoArray(dst, at + i);
        }
        for (; i < count; i++) {
            dst[at + i] = Float.intBitsToFloat(weights.get(SHORT_LE, offset + 2L * i) << 16);
        }
    }
}
