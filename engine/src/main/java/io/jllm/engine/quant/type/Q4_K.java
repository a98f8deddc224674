package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.kMin;
import static io.jllm.engine.quant.type.Blocks.kScale;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * Q4_K: super-blocks of 256 weights in 144 bytes, 4.5 bits per weight; 8 groups of 32 weights, each with a
 * 6-bit scale and a 6-bit min.
 * <pre>
 * offset  bytes  field
 *      0      2  d       fp16 super-scale of the scales
 *      2      2  dmin    fp16 super-scale of the mins
 *      4     12  scales  8 scales and 8 mins of 6 bits ({@link Blocks#kScale}, {@link Blocks#kMin})
 *     16    128  qs      4-bit quants: for each pair of groups (2p, 2p + 1), 32 bytes whose low nibbles are group 2p
 *                        and high nibbles group 2p + 1
 * </pre>
 * weight = (d * scale) * q - (dmin * min)
 */
public final class Q4_K extends DecodingKernel {
    public static final Q4_K INSTANCE = new Q4_K();

    private static final int BLOCK_SIZE = 256;
    private static final int BLOCK_BYTES = 144;

    private Q4_K() {
        super(GgmlType.Q4_K, BLOCK_SIZE, BLOCK_BYTES);
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        ChunkedProduct product = new ChunkedProduct(this, weights, rowLength, rowStart, rowEnd, x, out);
        while (product.next()) {
            decode(weights, product.offset(), product.count(), product.decoded(), 0);
            product.accumulate();
        }
    }

    /** Repacked for integer products ({@link Q4_KInterleaved}). */
    @Override
    public Optional<Repacker> repacker(MemorySegment weights, int rowLength, int rows) {
        Shapes.rowBytes(type(), BLOCK_SIZE, BLOCK_BYTES, weights, rowLength, 0, rows);
        return Optional.of(Q4_KInterleaved.repacker(weights, rowLength, rows));
    }

    /** Integer products on the stored blocks (shapes not worth repacking) with Q8_K activations ({@link Q4_KProduct}). */
    @Override
    public Optional<IntegerMatrix> integer(MemorySegment weights, int rowLength, int rows) {
        Shapes.rowBytes(type(), BLOCK_SIZE, BLOCK_BYTES, weights, rowLength, 0, rows);
        return Optional.of(new Q4_KProduct(weights, rowLength, rows));
    }

    @Override
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block);
            float dmin = fp16(weights, block + 2);
            for (int p = 0; p < 4; p++) {
                float d1 = d * kScale(weights, block + 4, 2 * p);
                float m1 = -(dmin * kMin(weights, block + 4, 2 * p));
                float d2 = d * kScale(weights, block + 4, 2 * p + 1);
                float m2 = -(dmin * kMin(weights, block + 4, 2 * p + 1));
                int out = at + i + 64 * p;
                for (int h = 0; h < 2; h++) {
                    ByteVector qs = load16(weights, block + 16 + 32 * p + 16 * h);
                    store(qs.and((byte) 0x0F), d1, m1, dst, out + 16 * h);
                    store(qs.lanewise(VectorOperators.LSHR, 4), d2, m2, dst, out + 32 + 16 * h);
                }
            }
        }
    }
}
