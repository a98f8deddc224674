package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.Blocks.FLOATS;
import static io.jllm.engine.quant.type.Blocks.INTS;
import static io.jllm.engine.quant.type.Blocks.LANES;
import static io.jllm.engine.quant.type.Blocks.PARTS;
import static io.jllm.engine.quant.type.Blocks.QUANTS;
import static io.jllm.engine.quant.type.Blocks.SHORT_LE;

/**
 * Q6_K weights (see {@link Q6_K} for the layout) times Q8_K activations, read from the stored blocks, computing
 * what llama.cpp's {@code ggml_vec_dot_q6_K_q8_K} computes: per super-block, {@code d_x d * sum_j scale_j
 * ((q - 32) . x_q)_j} over the 16 groups of 16. The 6-bit quants, offset and multiplied by their signed 8-bit
 * scale, are integers of at most 32 * 128 in magnitude; each float lane sums at most 32 of their products with
 * activation quants per half super-block (128-bit vectors), below 2^24, so every partial sum is exact; the float
 * steps are a multiply-add by {@code d_x d} per half super-block (llama.cpp: one per super-block).
 * <p>In each 16 bytes of a half's {@code ql} and {@code qh}, lane {@code l} holds weight {@code 32k + 16g + l}
 * of quarter {@code k}: low nibbles of the first or second 32 {@code ql} bytes for {@code k = 0, 1}, high nibbles
 * for {@code k = 2, 3}, and bits {@code 2k, 2k + 1} of {@code qh}. Written out in full, without helpers taking
 * vectors (C2 would box them in a method this large); one vector and four vectors at a time.
 */
final class Q6_KProduct extends KQuantMatrix {
    private static final int BLOCK_BYTES = 210;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    Q6_KProduct(MemorySegment data, int columns, int rows) {
        super(data, columns, rows, BLOCK_BYTES);
    }

    /** Row {@code row} times vector {@code n}. */
    @Override
    void one(Q8_KActivations x, int n, int row, float[][] out) {
        float[] xq = x.quants[n];
        float[] xd = x.scales[n];
        FloatVector total = FloatVector.zero(FLOATS);
        long o = row * rowBytes;
        for (int b = 0; b < blocks; b++, o += BLOCK_BYTES) {
            float dd = xd[b] * Float.float16ToFloat(data.get(SHORT_LE, o + 208));
            for (int half = 0; half < 2; half++) {
                FloatVector acc0 = FloatVector.zero(FLOATS);
                FloatVector acc1 = FloatVector.zero(FLOATS);
                for (int g = 0; g < 2; g++) {
                    long ql = o + 64 * half + 16 * g;
                    ByteVector low0 = ByteVector.fromMemorySegment(QUANTS, data, ql, ByteOrder.LITTLE_ENDIAN);
                    ByteVector low1 = ByteVector.fromMemorySegment(QUANTS, data, ql + 32, ByteOrder.LITTLE_ENDIAN);
                    ByteVector high = ByteVector.fromMemorySegment(QUANTS, data, o + 128 + 32 * half + 16 * g,
                            ByteOrder.LITTLE_ENDIAN);
                    long sc = o + 192 + 8 * half + g;
                    float f0 = data.get(BYTE, sc);
                    float f1 = data.get(BYTE, sc + 2);
                    float f2 = data.get(BYTE, sc + 4);
                    float f3 = data.get(BYTE, sc + 6);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector l0 = (IntVector) low0.convertShape(VectorOperators.B2I, INTS, part);
                        IntVector l1 = (IntVector) low1.convertShape(VectorOperators.B2I, INTS, part);
                        IntVector h = (IntVector) high.convertShape(VectorOperators.B2I, INTS, part);
                        int at = b * 256 + 128 * half + 16 * g + part * LANES;
                        acc0 = ((FloatVector) l0.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                                .convert(VectorOperators.I2F, 0)).mul(f0)
                                .fma(FloatVector.fromArray(FLOATS, xq, at), acc0);
                        acc1 = ((FloatVector) l1.and(0xF).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                                .convert(VectorOperators.I2F, 0)).mul(f1)
                                .fma(FloatVector.fromArray(FLOATS, xq, at + 32), acc1);
                        acc0 = ((FloatVector) l0.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.and(0x30)).sub(32)
                                .convert(VectorOperators.I2F, 0)).mul(f2)
                                .fma(FloatVector.fromArray(FLOATS, xq, at + 64), acc0);
                        acc1 = ((FloatVector) l1.lanewise(VectorOperators.LSHR, 4).and(0xF)
                                .or(h.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                                .convert(VectorOperators.I2F, 0)).mul(f3)
                                .fma(FloatVector.fromArray(FLOATS, xq, at + 96), acc1);
                    }
                }
                total = acc0.add(acc1).fma(FloatVector.broadcast(FLOATS, dd), total);
            }
        }
        out[n][row] = Lanes.sum(total);
    }

    /**
     * Row {@code row}'s super-blocks {@code [from, to)} times vectors {@code n .. n + 3}, added to the outputs
     * after the first column tile; each quant unpacked once for the four (prefill).
     */
    @Override
    void four(Q8_KActivations x, int n, int row, int from, int to, float[][] out) {
        float[] xq0 = x.quants[n];
        float[] xq1 = x.quants[n + 1];
        float[] xq2 = x.quants[n + 2];
        float[] xq3 = x.quants[n + 3];
        FloatVector total0 = FloatVector.zero(FLOATS);
        FloatVector total1 = FloatVector.zero(FLOATS);
        FloatVector total2 = FloatVector.zero(FLOATS);
        FloatVector total3 = FloatVector.zero(FLOATS);
        long o = row * rowBytes + (long) from * BLOCK_BYTES;
        for (int b = from; b < to; b++, o += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SHORT_LE, o + 208));
            float dd0 = x.scales[n][b] * d;
            float dd1 = x.scales[n + 1][b] * d;
            float dd2 = x.scales[n + 2][b] * d;
            float dd3 = x.scales[n + 3][b] * d;
            for (int half = 0; half < 2; half++) {
                FloatVector acc0 = FloatVector.zero(FLOATS);
                FloatVector acc1 = FloatVector.zero(FLOATS);
                FloatVector acc2 = FloatVector.zero(FLOATS);
                FloatVector acc3 = FloatVector.zero(FLOATS);
                for (int g = 0; g < 2; g++) {
                    long ql = o + 64 * half + 16 * g;
                    ByteVector low0 = ByteVector.fromMemorySegment(QUANTS, data, ql, ByteOrder.LITTLE_ENDIAN);
                    ByteVector low1 = ByteVector.fromMemorySegment(QUANTS, data, ql + 32, ByteOrder.LITTLE_ENDIAN);
                    ByteVector high = ByteVector.fromMemorySegment(QUANTS, data, o + 128 + 32 * half + 16 * g,
                            ByteOrder.LITTLE_ENDIAN);
                    long sc = o + 192 + 8 * half + g;
                    float f0 = data.get(BYTE, sc);
                    float f1 = data.get(BYTE, sc + 2);
                    float f2 = data.get(BYTE, sc + 4);
                    float f3 = data.get(BYTE, sc + 6);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector l0 = (IntVector) low0.convertShape(VectorOperators.B2I, INTS, part);
                        IntVector l1 = (IntVector) low1.convertShape(VectorOperators.B2I, INTS, part);
                        IntVector h = (IntVector) high.convertShape(VectorOperators.B2I, INTS, part);
                        int at = b * 256 + 128 * half + 16 * g + part * LANES;
                        FloatVector w0 = ((FloatVector) l0.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30))
                                .sub(32).convert(VectorOperators.I2F, 0)).mul(f0);
                        FloatVector w1 = ((FloatVector) l1.and(0xF).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30))
                                .sub(32).convert(VectorOperators.I2F, 0)).mul(f1);
                        FloatVector w2 = ((FloatVector) l0.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.and(0x30))
                                .sub(32).convert(VectorOperators.I2F, 0)).mul(f2);
                        FloatVector w3 = ((FloatVector) l1.lanewise(VectorOperators.LSHR, 4).and(0xF)
                                .or(h.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                                .convert(VectorOperators.I2F, 0)).mul(f3);
                        acc0 = w0.fma(FloatVector.fromArray(FLOATS, xq0, at), acc0);
                        acc1 = w0.fma(FloatVector.fromArray(FLOATS, xq1, at), acc1);
                        acc2 = w0.fma(FloatVector.fromArray(FLOATS, xq2, at), acc2);
                        acc3 = w0.fma(FloatVector.fromArray(FLOATS, xq3, at), acc3);
                        acc0 = w1.fma(FloatVector.fromArray(FLOATS, xq0, at + 32), acc0);
                        acc1 = w1.fma(FloatVector.fromArray(FLOATS, xq1, at + 32), acc1);
                        acc2 = w1.fma(FloatVector.fromArray(FLOATS, xq2, at + 32), acc2);
                        acc3 = w1.fma(FloatVector.fromArray(FLOATS, xq3, at + 32), acc3);
                        acc0 = w2.fma(FloatVector.fromArray(FLOATS, xq0, at + 64), acc0);
                        acc1 = w2.fma(FloatVector.fromArray(FLOATS, xq1, at + 64), acc1);
                        acc2 = w2.fma(FloatVector.fromArray(FLOATS, xq2, at + 64), acc2);
                        acc3 = w2.fma(FloatVector.fromArray(FLOATS, xq3, at + 64), acc3);
                        acc0 = w3.fma(FloatVector.fromArray(FLOATS, xq0, at + 96), acc0);
                        acc1 = w3.fma(FloatVector.fromArray(FLOATS, xq1, at + 96), acc1);
                        acc2 = w3.fma(FloatVector.fromArray(FLOATS, xq2, at + 96), acc2);
                        acc3 = w3.fma(FloatVector.fromArray(FLOATS, xq3, at + 96), acc3);
                    }
                }
                total0 = acc0.fma(FloatVector.broadcast(FLOATS, dd0), total0);
                total1 = acc1.fma(FloatVector.broadcast(FLOATS, dd1), total1);
                total2 = acc2.fma(FloatVector.broadcast(FLOATS, dd2), total2);
                total3 = acc3.fma(FloatVector.broadcast(FLOATS, dd3), total3);
            }
        }
        out[n][row] = (from == 0 ? 0f : out[n][row]) + Lanes.sum(total0);
        out[n + 1][row] = (from == 0 ? 0f : out[n + 1][row]) + Lanes.sum(total1);
        out[n + 2][row] = (from == 0 ? 0f : out[n + 2][row]) + Lanes.sum(total2);
        out[n + 3][row] = (from == 0 ? 0f : out[n + 3][row]) + Lanes.sum(total3);
    }
}
