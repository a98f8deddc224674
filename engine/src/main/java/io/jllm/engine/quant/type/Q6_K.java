package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.lang.foreign.ValueLayout;

import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q6_K: super-blocks of 256 weights in 210 bytes, 6.5625 bits per weight; 16 groups of 16 weights, each with a
 * signed 8-bit scale.
 * <pre>
 * offset  bytes  field
 *      0    128  ql      low 4 bits: two halves of 128 weights, 64 bytes each; within a half, byte l (l = 0..31)
 *                        holds weights l (low nibble) and 64 + l (high nibble), byte 32 + l weights 32 + l and 96 + l
 *    128     64  qh      high 2 bits: two halves of 32 bytes; byte l of a half holds, from bit 0 up, the top bits
 *                        of weights l, 32 + l, 64 + l and 96 + l of that half
 *    192     16  scales  signed 8-bit scale of each group of 16 weights
 *    208      2  d       fp16 super-scale
 * </pre>
 * weight = (d * scale) * (q - 32)
 */
public final class Q6_K extends DecodingKernel {
    public static final Q6_K INSTANCE = new Q6_K();

    private static final int BLOCK_SIZE = 256;
    private static final int BLOCK_BYTES = 210;

    private Q6_K() {
        super(GgmlType.Q6_K, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** Repacked for integer products ({@link Q6_KInterleaved}). */
    @Override
    public Optional<Repacker> repacker(MemorySegment weights, int rowLength, int rows) {
        Shapes.rowBytes(type(), BLOCK_SIZE, BLOCK_BYTES, weights, rowLength, 0, rows);
        return Optional.of(Q6_KInterleaved.repacker(weights, rowLength, rows));
    }

    /** Integer products on the stored blocks with Q8_K activations ({@link Q6_KProduct}). */
    @Override
    public Optional<IntegerMatrix> integer(MemorySegment weights, int rowLength, int rows) {
        Shapes.rowBytes(type(), BLOCK_SIZE, BLOCK_BYTES, weights, rowLength, 0, rows);
        return Optional.of(new Q6_KProduct(weights, rowLength, rows));
    }

    /**
     * Quarter k (0..3) of a half takes the low (k &lt; 2) or high nibbles of the {@code ql} bytes at 32 * (k % 2)
     * and bits 2k..2k+1 of {@code qh}. Written as one formula in a loop rather than four unrolled ones: four
     * copies of the vector code exceed the JIT's inlining node budget, and the last ones then box their vectors.
     */
    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block + 208);
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 2; g++) {
                    ByteVector h = load16(weights, block + 128 + 32 * half + 16 * g);
                    for (int k = 0; k < 4; k++) {
                        ByteVector low = load16(weights, block + 64 * half + 32 * (k % 2) + 16 * g)
                                .lanewise(VectorOperators.LSHR, 4 * (k / 2)).and((byte) 0x0F);
                        ByteVector top = h.lanewise(VectorOperators.LSHR, 2 * k).and((byte) 3)
                                .lanewise(VectorOperators.LSHL, 4);
                        float scale = d * weights.get(ValueLayout.JAVA_BYTE, block + 192 + 8 * half + g + 2 * k);
                        store(low.or(top).sub((byte) 32), scale, dst, at + i + 128 * half + 32 * k + 16 * g);
                    }
                }
            }
        }
    }
}
