package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q4_1: blocks of 32 weights in 20 bytes, 5 bits per weight.
 * <pre>
 * offset  bytes  field
 *      0      2  d   fp16 scale
 *      2      2  m   fp16 minimum
 *      4     16  qs  4-bit quants: byte j holds weight j in its low nibble, weight j + 16 in its high nibble
 * </pre>
 * weight = q * d + m
 */
public final class Q4_1 extends RepackingKernel {
    public static final Q4_1 INSTANCE = new Q4_1();

    private static final int BLOCK_SIZE = 32;
    private static final int BLOCK_BYTES = 20;

    private Q4_1() {
        super(GgmlType.Q4_1, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** Repacked for integer products ({@link Q4_1Interleaved}). */
    @Override
    Repacker repack(MemorySegment src, int columns, int rows, int rowBytes) {
        return Q4_1Interleaved.repacker(src, columns, rows, rowBytes);
    }

    /** A view of the stored blocks for integer products with Q8_1 activations ({@link Q4_1View}). */
    @Override
    StoredBlockView view(MemorySegment data, int columns, int rows) {
        return new Q4_1View(data, columns, rows);
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block);
            float m = fp16(weights, block + 2);
            ByteVector qs = load16(weights, block + 4);
            store(qs.and((byte) 0x0F), d, m, dst, at + i);
            store(qs.lanewise(VectorOperators.LSHR, 4), d, m, dst, at + i + 16);
        }
    }
}
