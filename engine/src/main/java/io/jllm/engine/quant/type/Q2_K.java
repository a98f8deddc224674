package io.jllm.engine.quant.type;

import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q2_K: super-blocks of 256 weights in 84 bytes, 2.625 bits per weight; 16 groups of 16 weights, each with a
 * 4-bit scale and a 4-bit min.
 * <pre>
 * offset  bytes  field
 *      0     16  scales  byte g: scale of group g in the low nibble, its min in the high nibble
 *     16     64  qs      2-bit quants: two halves of 128 weights, 32 bytes each; within a half, weight
 *                        32 * s + l (s = 0..3, l = 0..31) is bits 2s..2s+1 of byte l
 *     80      2  d       fp16 super-scale of the scales
 *     82      2  dmin    fp16 super-scale of the mins
 * </pre>
 * weight = (d * scale) * q - (dmin * min)
 */
public final class Q2_K extends DecodingKernel {
    public static final Q2_K INSTANCE = new Q2_K();

    private static final int BLOCK_SIZE = 256;
    private static final int BLOCK_BYTES = 84;

    private Q2_K() {
        super(GgmlType.Q2_K, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block + 80);
            float dmin = fp16(weights, block + 82);
            for (int half = 0; half < 2; half++) {
                ByteVector first = load16(weights, block + 16 + 32 * half);
                ByteVector second = load16(weights, block + 16 + 32 * half + 16);
                for (int s = 0; s < 4; s++) {
                    int group = 8 * half + 2 * s;
                    int out = at + i + 128 * half + 32 * s;
                    int sc = weights.get(ValueLayout.JAVA_BYTE, block + group) & 0xFF;
                    store(first.lanewise(VectorOperators.LSHR, 2 * s).and((byte) 3),
                            d * (sc & 0xF), -(dmin * (sc >>> 4)), dst, out);
                    sc = weights.get(ValueLayout.JAVA_BYTE, block + group + 1) & 0xFF;
                    store(second.lanewise(VectorOperators.LSHR, 2 * s).and((byte) 3),
                            d * (sc & 0xF), -(dmin * (sc >>> 4)), dst, out + 16);
                }
            }
        }
    }
}
