package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static io.jllm.engine.quant.type.Blocks.INT_LE;
import static io.jllm.engine.quant.type.Blocks.QUANTS;
import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q5_1: blocks of 32 weights in 24 bytes, 6 bits per weight.
 * <pre>
 * offset  bytes  field
 *      0      2  d   fp16 scale
 *      2      2  m   fp16 minimum
 *      4      4  qh  fifth bits, little-endian: bit j belongs to weight j
 *      8     16  qs  low 4 bits: byte j holds weight j in its low nibble, weight j + 16 in its high nibble
 * </pre>
 * weight = q * d + m
 */
public final class Q5_1 extends DecodingKernel {
    public static final Q5_1 INSTANCE = new Q5_1();

    private static final int BLOCK_SIZE = 32;
    private static final int BLOCK_BYTES = 24;

    private Q5_1() {
        super(GgmlType.Q5_1, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** A view of the stored blocks for integer products with Q8_1 activations ({@link Q5_1View}). */
    @Override
    public Optional<IntegerMatrix> integer(MemorySegment weights, int rowLength, int rows) {
        return Optional.of(new Q5_1View(weights, rowLength, rows));
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block);
            float m = fp16(weights, block + 2);
            int qh = weights.get(INT_LE, block + 4);
            ByteVector qs = load16(weights, block + 8);
            ByteVector low = qs.and((byte) 0x0F)
                    .lanewise(VectorOperators.OR, (byte) 0x10, VectorMask.fromLong(QUANTS, qh & 0xFFFF));
            ByteVector high = qs.lanewise(VectorOperators.LSHR, 4)
                    .lanewise(VectorOperators.OR, (byte) 0x10, VectorMask.fromLong(QUANTS, qh >>> 16));
            store(low, d, m, dst, at + i);
            store(high, d, m, dst, at + i + 16);
        }
    }
}
