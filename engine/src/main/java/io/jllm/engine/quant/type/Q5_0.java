package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.jllm.engine.quant.type.Blocks.INT_LE;
import static io.jllm.engine.quant.type.Blocks.QUANTS;
import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q5_0: blocks of 32 weights in 22 bytes, 5.5 bits per weight.
 * <pre>
 * offset  bytes  field
 *      0      2  d   fp16 scale
 *      2      4  qh  fifth bits, little-endian: bit j belongs to weight j
 *      6     16  qs  low 4 bits: byte j holds weight j in its low nibble, weight j + 16 in its high nibble
 * </pre>
 * weight = (q - 16) * d
 */
public final class Q5_0 extends RepackingKernel {
    public static final Q5_0 INSTANCE = new Q5_0();

    private static final int BLOCK_SIZE = 32;
    private static final int BLOCK_BYTES = 22;

    private Q5_0() {
        super(GgmlType.Q5_0, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** Repacked for integer products ({@link Q5_0Interleaved}). */
    @Override
    Repacker repack(MemorySegment src, int columns, int rows, int rowBytes) {
        return Q5_0Interleaved.repacker(src, columns, rows, rowBytes);
    }

    /** A view of the stored blocks for integer products with Q8_0 activations ({@link Q5_0View}). */
    @Override
    StoredBlockView view(MemorySegment data, int columns, int rows) {
        return new Q5_0View(data, columns, rows);
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block);
            int qh = weights.get(INT_LE, block + 2);
            ByteVector qs = load16(weights, block + 6);
            ByteVector low = qs.and((byte) 0x0F)
                    .lanewise(VectorOperators.OR, (byte) 0x10, VectorMask.fromLong(QUANTS, qh & 0xFFFF));
            ByteVector high = qs.lanewise(VectorOperators.LSHR, 4)
                    .lanewise(VectorOperators.OR, (byte) 0x10, VectorMask.fromLong(QUANTS, qh >>> 16));
            store(low.sub((byte) 16), d, dst, at + i);
            store(high.sub((byte) 16), d, dst, at + i + 16);
        }
    }
}
