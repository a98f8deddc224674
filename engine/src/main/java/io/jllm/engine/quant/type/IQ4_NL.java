package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static io.jllm.engine.quant.type.Blocks.IQ4_LEVELS;
import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * IQ4_NL: blocks of 32 weights in 18 bytes, 4.5 bits per weight; like Q4_0 but the nibbles index 16
 * non-uniform levels ({@link Blocks#IQ4_LEVELS}).
 * <pre>
 * offset  bytes  field
 *      0      2  d   fp16 scale
 *      2     16  qs  4-bit indices: byte j holds weight j in its low nibble, weight j + 16 in its high nibble
 * </pre>
 * weight = d * level[q]
 */
public final class IQ4_NL extends DecodingKernel {
    public static final IQ4_NL INSTANCE = new IQ4_NL();

    private static final int BLOCK_SIZE = 32;
    private static final int BLOCK_BYTES = 18;

    private IQ4_NL() {
        super(GgmlType.IQ4_NL, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** A view of the stored blocks for integer products with Q8_0 activations ({@link IQ4_NLView}). */
    @Override
    public Optional<IntegerMatrix> integer(MemorySegment weights, int rowLength, int rows) {
        return Optional.of(new IQ4_NLView(weights, rowLength, rows));
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block);
            ByteVector qs = load16(weights, block + 2);
            store(qs.and((byte) 0x0F).selectFrom(IQ4_LEVELS), d, dst, at + i);
            store(qs.lanewise(VectorOperators.LSHR, 4).selectFrom(IQ4_LEVELS), d, dst, at + i + 16);
        }
    }
}
