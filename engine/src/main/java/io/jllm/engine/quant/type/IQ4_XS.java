package io.jllm.engine.quant.type;

import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.jllm.engine.quant.type.Blocks.IQ4_LEVELS;
import static io.jllm.engine.quant.type.Blocks.SHORT_LE;
import static io.jllm.engine.quant.type.Blocks.fp16;
import static io.jllm.engine.quant.type.Blocks.load16;
import static io.jllm.engine.quant.type.Blocks.store;

/**
 * IQ4_XS: super-blocks of 256 weights in 136 bytes, 4.25 bits per weight; 8 groups of 32 weights, each with a
 * 6-bit scale, whose nibbles index the IQ4_NL levels ({@link Blocks#IQ4_LEVELS}).
 * <pre>
 * offset  bytes  field
 *      0      2  d         fp16 super-scale
 *      2      2  scales_h  top 2 bits of the scales, little-endian: bits 2g..2g+1 belong to group g
 *      4      4  scales_l  low 4 bits of the scales: group g in byte g / 2, low nibble for even g
 *      8    128  qs        4-bit indices: 16 bytes per group; byte j holds weight j in its low nibble, weight
 *                          j + 16 in its high nibble
 * </pre>
 * weight = (d * (scale - 32)) * level[q]
 */
public final class IQ4_XS extends DecodingKernel {
    public static final IQ4_XS INSTANCE = new IQ4_XS();

    private static final int BLOCK_SIZE = 256;
    private static final int BLOCK_BYTES = 136;

    private IQ4_XS() {
        super(GgmlType.IQ4_XS, BLOCK_SIZE, BLOCK_BYTES);
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
            float d = fp16(weights, block);
            int scalesHigh = weights.get(SHORT_LE, block + 2) & 0xFFFF;
            for (int g = 0; g < 8; g++) {
                int low = (weights.get(ValueLayout.JAVA_BYTE, block + 4 + g / 2) >>> (4 * (g % 2))) & 0xF;
                float scale = d * ((low | ((scalesHigh >>> (2 * g)) & 3) << 4) - 32);
                ByteVector qs = load16(weights, block + 8 + 16 * g);
                store(qs.and((byte) 0x0F).selectFrom(IQ4_LEVELS), scale, dst, at + i + 32 * g);
                store(qs.lanewise(VectorOperators.LSHR, 4).selectFrom(IQ4_LEVELS), scale, dst, at + i + 32 * g + 16);
            }
        }
    }
}
