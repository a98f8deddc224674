package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q8_0: blocks of 32 weights in 34 bytes, 8.5 bits per weight.
 * <pre>
 * offset  bytes  field
 *      0      2  d   fp16 scale
 *      2     32  qs  signed 8-bit quants, weight j in byte j
 * </pre>
 * weight = q * d
 */
public final class Q8_0 extends RepackingKernel {
    public static final Q8_0 INSTANCE = new Q8_0();

    private static final int BLOCK_SIZE = 32;
    private static final int BLOCK_BYTES = 34;

    private Q8_0() {
        super(GgmlType.Q8_0, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** Repacked for integer products ({@link Q8_0Interleaved}). */
    @Override
    Repacker repack(MemorySegment src, int columns, int rows, int rowBytes) {
        return Q8_0Interleaved.repacker(src, columns, rows, rowBytes);
    }

    /** A view of the stored blocks for integer products with Q8_0 activations ({@link Q8_0View}). */
    @Override
    StoredBlockView view(MemorySegment data, int columns, int rows) {
        return new Q8_0View(data, columns, rows);
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block);
            store(load16(weights, block + 2), d, dst, at + i);
            store(load16(weights, block + 18), d, dst, at + i + 16);
        }
    }
}
