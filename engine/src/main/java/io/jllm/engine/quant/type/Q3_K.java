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
 * Q3_K: super-blocks of 256 weights in 110 bytes, 3.4375 bits per weight; 16 groups of 16 weights, each with a
 * signed 6-bit scale.
 * <pre>
 * offset  bytes  field
 *      0     32  hmask   third bits: weight 32 * s + l (s = 0..7, l = 0..31) is bit s of byte l; a clear bit
 *                        subtracts 4
 *     32     64  qs      low 2 bits, laid out as in Q2_K: two halves of 128 weights, 32 bytes each
 *     96     12  scales  16 scales of 6 bits, stored + 32: the low nibbles of scales 0..7 in the low nibbles of
 *                        bytes 0..7, of scales 8..15 in their high nibbles; the top 2 bits of scale g in bits
 *                        2 * (g / 4) of byte 8 + g % 4
 *    108      2  d       fp16 super-scale
 * </pre>
 * weight = (d * (scale - 32)) * (q - (hbit ? 0 : 4))
 */
public final class Q3_K extends DecodingKernel {
    public static final Q3_K INSTANCE = new Q3_K();

    private static final int BLOCK_SIZE = 256;
    private static final int BLOCK_BYTES = 110;

    private Q3_K() {
        super(GgmlType.Q3_K, BLOCK_SIZE, BLOCK_BYTES);
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
            float d = fp16(weights, block + 108);
            ByteVector highFirst = load16(weights, block);
            ByteVector highSecond = load16(weights, block + 16);
            for (int half = 0; half < 2; half++) {
                ByteVector first = load16(weights, block + 32 + 32 * half);
                ByteVector second = load16(weights, block + 32 + 32 * half + 16);
                for (int s = 0; s < 4; s++) {
                    int group = 8 * half + 2 * s;
                    int out = at + i + 128 * half + 32 * s;
                    byte bit = (byte) (1 << (4 * half + s));
                    ByteVector q = first.lanewise(VectorOperators.LSHR, 2 * s).and((byte) 3)
                            .lanewise(VectorOperators.SUB, (byte) 4, highFirst.and(bit).eq((byte) 0));
                    store(q, d * (scale(weights, block + 96, group) - 32), dst, out);
                    q = second.lanewise(VectorOperators.LSHR, 2 * s).and((byte) 3)
                            .lanewise(VectorOperators.SUB, (byte) 4, highSecond.and(bit).eq((byte) 0));
                    store(q, d * (scale(weights, block + 96, group + 1) - 32), dst, out + 16);
                }
            }
        }
    }

    /** Scale {@code g} (0..15), still offset by 32, from the 12 scale bytes at {@code offset}. */
    private static int scale(MemorySegment weights, long offset, int g) {
        int low = weights.get(ValueLayout.JAVA_BYTE, offset + g % 8) & 0xFF;
        int high = weights.get(ValueLayout.JAVA_BYTE, offset + 8 + g % 4) & 0xFF;
        return (g < 8 ? low & 0xF : low >>> 4) | ((high >>> (2 * (g / 4))) & 3) << 4;
    }
}
