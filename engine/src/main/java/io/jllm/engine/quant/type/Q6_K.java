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
    void decode(MemorySegment weights, long offset, int count, float[] dst, int at) {
        long block = offset;
        for (int i = 0; i < count; i += BLOCK_SIZE, block += BLOCK_BYTES) {
            float d = fp16(weights, block + 208);
            for (int half = 0; half < 2; half++) {
                long ql = block + 64 * half;
                long qh = block + 128 + 32 * half;
                long scales = block + 192 + 8 * half;
                for (int g = 0; g < 2; g++) {
                    ByteVector a = load16(weights, ql + 16 * g);
                    ByteVector b = load16(weights, ql + 32 + 16 * g);
                    ByteVector h = load16(weights, qh + 16 * g);
                    int out = at + i + 128 * half + 16 * g;
                    store(a.and((byte) 0x0F).or(h.lanewise(VectorOperators.LSHL, 4).and((byte) 0x30))
                            .sub((byte) 32), d * scale(weights, scales + g), dst, out);
                    store(b.and((byte) 0x0F).or(h.lanewise(VectorOperators.LSHL, 2).and((byte) 0x30))
                            .sub((byte) 32), d * scale(weights, scales + g + 2), dst, out + 32);
                    store(a.lanewise(VectorOperators.LSHR, 4).or(h.and((byte) 0x30))
                            .sub((byte) 32), d * scale(weights, scales + g + 4), dst, out + 64);
                    store(b.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 0x30))
                            .sub((byte) 32), d * scale(weights, scales + g + 6), dst, out + 96);
                }
            }
        }
    }

    private static int scale(MemorySegment weights, long offset) {
        return weights.get(ValueLayout.JAVA_BYTE, offset);
    }
}
