package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.Blocks.FLOATS;
import static io.jllm.engine.quant.type.Blocks.INTS;
import static io.jllm.engine.quant.type.Blocks.INT_LE;
import static io.jllm.engine.quant.type.Blocks.LANES;
import static io.jllm.engine.quant.type.Blocks.PARTS;
import static io.jllm.engine.quant.type.Blocks.QUANTS;
import static io.jllm.engine.quant.type.Blocks.SHORT_LE;

/**
 * Q4_K weights (see {@link Q4_K} for the layout) times Q8_K activations, read from the stored blocks, computing
 * what llama.cpp's {@code ggml_vec_dot_q4_K_q8_K} computes: per super-block, {@code d_x d * sum_j scale_j
 * (q . x_q)_j} minus {@code d_x dmin * sum_j min_j (sum of x_q over group j)}, the latter from the activations'
 * block sums. The nibbles are multiplied by their 6-bit scale in float lanes: every product and every per-lane
 * partial sum is an integer below 2^24 (at most 64 products of 15 * 63 * 127 per lane at 128 bits), so it is
 * exact, and the float steps are llama.cpp's: one multiply-add by {@code d_x d} per super-block.
 * <p>The loops are written out in full with no helper methods taking vectors (C2 stops inlining in methods this
 * large and would box them), and kept in two methods, one vector and four vectors at a time.
 */
final class Q4_KProduct extends KQuantMatrix {
    private static final int BLOCK_BYTES = 144;

    Q4_KProduct(MemorySegment data, int columns, int rows) {
        super(data, columns, rows, BLOCK_BYTES);
    }

    /**
     * Row {@code row} times vector {@code n}: each group's nibble products summed first, then scaled once (one
     * multiply-add per group rather than one multiply per weight vector).
     */
    @Override
    void one(Q8_KActivations x, int n, int row, float[][] out) {
        float[] xq = x.quants[n];
        float[] xd = x.scales[n];
        int[] xs = x.sums[n];
        FloatVector total = FloatVector.zero(FLOATS);
        float mins = 0f;
        long o = row * rowBytes;
        for (int b = 0; b < blocks; b++, o += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SHORT_LE, o));
            float dmin = Float.float16ToFloat(data.get(SHORT_LE, o + 2));
            int s0 = data.get(INT_LE, o + 4);
            int s1 = data.get(INT_LE, o + 8);
            int s2 = data.get(INT_LE, o + 12);
            FloatVector acc0 = FloatVector.zero(FLOATS);
            FloatVector acc1 = FloatVector.zero(FLOATS);
            int minSum = 0;
            int xb = b * 256;
            for (int p = 0; p < 4; p++) {
                int sc0;
                int sc1;
                int m0;
                int m1;
                if (p < 2) {
                    sc0 = s0 >>> (16 * p) & 63;
                    sc1 = s0 >>> (16 * p + 8) & 63;
                    m0 = s1 >>> (16 * p) & 63;
                    m1 = s1 >>> (16 * p + 8) & 63;
                } else {
                    int sh = 16 * (p - 2);
                    sc0 = (s2 >>> sh & 0xF) | (s0 >>> (sh + 6) & 3) << 4;
                    sc1 = (s2 >>> (sh + 8) & 0xF) | (s0 >>> (sh + 14) & 3) << 4;
                    m0 = (s2 >>> (sh + 4) & 0xF) | (s1 >>> (sh + 6) & 3) << 4;
                    m1 = (s2 >>> (sh + 12) & 0xF) | (s1 >>> (sh + 14) & 3) << 4;
                }
                int g = 16 * b + 4 * p;
                minSum += m0 * (xs[g] + xs[g + 1]) + m1 * (xs[g + 2] + xs[g + 3]);
                FloatVector group0 = FloatVector.zero(FLOATS);
                FloatVector group1 = FloatVector.zero(FLOATS);
                for (int h = 0; h < 2; h++) {
                    ByteVector q = ByteVector.fromMemorySegment(QUANTS, data, o + 16 + 32 * p + 16 * h,
                            ByteOrder.LITTLE_ENDIAN);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector qi = (IntVector) q.convertShape(VectorOperators.B2I, INTS, part);
                        int at = xb + 64 * p + 16 * h + part * LANES;
                        group0 = ((FloatVector) qi.and(0xF).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(FLOATS, xq, at), group0);
                        group1 = ((FloatVector) qi.lanewise(VectorOperators.LSHR, 4).and(0xF)
                                .convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(FLOATS, xq, at + 32), group1);
                    }
                }
                acc0 = group0.fma(FloatVector.broadcast(FLOATS, sc0), acc0);
                acc1 = group1.fma(FloatVector.broadcast(FLOATS, sc1), acc1);
            }
            float dx = xd[b];
            total = acc0.add(acc1).fma(FloatVector.broadcast(FLOATS, dx * d), total);
            mins += -dx * dmin * minSum;
        }
        out[n][row] = Lanes.sum(total) + mins;
    }

    /**
     * Row {@code row}'s super-blocks {@code [from, to)} times vectors {@code n .. n + 3}, added to the outputs
     * after the first column tile; each nibble unpacked once for the four (prefill).
     */
    @Override
    void four(Q8_KActivations x, int n, int row, int from, int to, float[][] out) {
        float[] xq0 = x.quants[n];
        float[] xq1 = x.quants[n + 1];
        float[] xq2 = x.quants[n + 2];
        float[] xq3 = x.quants[n + 3];
        int[] xs0 = x.sums[n];
        int[] xs1 = x.sums[n + 1];
        int[] xs2 = x.sums[n + 2];
        int[] xs3 = x.sums[n + 3];
        FloatVector total0 = FloatVector.zero(FLOATS);
        FloatVector total1 = FloatVector.zero(FLOATS);
        FloatVector total2 = FloatVector.zero(FLOATS);
        FloatVector total3 = FloatVector.zero(FLOATS);
        float mins0 = 0f;
        float mins1 = 0f;
        float mins2 = 0f;
        float mins3 = 0f;
        long o = row * rowBytes + (long) from * BLOCK_BYTES;
        for (int b = from; b < to; b++, o += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SHORT_LE, o));
            float dmin = Float.float16ToFloat(data.get(SHORT_LE, o + 2));
            int s0 = data.get(INT_LE, o + 4);
            int s1 = data.get(INT_LE, o + 8);
            int s2 = data.get(INT_LE, o + 12);
            FloatVector acc0 = FloatVector.zero(FLOATS);
            FloatVector acc1 = FloatVector.zero(FLOATS);
            FloatVector acc2 = FloatVector.zero(FLOATS);
            FloatVector acc3 = FloatVector.zero(FLOATS);
            int minSum0 = 0;
            int minSum1 = 0;
            int minSum2 = 0;
            int minSum3 = 0;
            int xb = b * 256;
            for (int p = 0; p < 4; p++) {
                int sc0;
                int sc1;
                int m0;
                int m1;
                if (p < 2) {
                    sc0 = s0 >>> (16 * p) & 63;
                    sc1 = s0 >>> (16 * p + 8) & 63;
                    m0 = s1 >>> (16 * p) & 63;
                    m1 = s1 >>> (16 * p + 8) & 63;
                } else {
                    int sh = 16 * (p - 2);
                    sc0 = (s2 >>> sh & 0xF) | (s0 >>> (sh + 6) & 3) << 4;
                    sc1 = (s2 >>> (sh + 8) & 0xF) | (s0 >>> (sh + 14) & 3) << 4;
                    m0 = (s2 >>> (sh + 4) & 0xF) | (s1 >>> (sh + 6) & 3) << 4;
                    m1 = (s2 >>> (sh + 12) & 0xF) | (s1 >>> (sh + 14) & 3) << 4;
                }
                int g = 16 * b + 4 * p;
                minSum0 += m0 * (xs0[g] + xs0[g + 1]) + m1 * (xs0[g + 2] + xs0[g + 3]);
                minSum1 += m0 * (xs1[g] + xs1[g + 1]) + m1 * (xs1[g + 2] + xs1[g + 3]);
                minSum2 += m0 * (xs2[g] + xs2[g + 1]) + m1 * (xs2[g + 2] + xs2[g + 3]);
                minSum3 += m0 * (xs3[g] + xs3[g + 1]) + m1 * (xs3[g + 2] + xs3[g + 3]);
                float f0 = sc0;
                float f1 = sc1;
                for (int h = 0; h < 2; h++) {
                    ByteVector q = ByteVector.fromMemorySegment(QUANTS, data, o + 16 + 32 * p + 16 * h,
                            ByteOrder.LITTLE_ENDIAN);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector qi = (IntVector) q.convertShape(VectorOperators.B2I, INTS, part);
                        int at = xb + 64 * p + 16 * h + part * LANES;
                        FloatVector lo = ((FloatVector) qi.and(0xF).convert(VectorOperators.I2F, 0)).mul(f0);
                        FloatVector hi = ((FloatVector) qi.lanewise(VectorOperators.LSHR, 4).and(0xF)
                                .convert(VectorOperators.I2F, 0)).mul(f1);
                        acc0 = lo.fma(FloatVector.fromArray(FLOATS, xq0, at), acc0);
                        acc1 = lo.fma(FloatVector.fromArray(FLOATS, xq1, at), acc1);
                        acc2 = lo.fma(FloatVector.fromArray(FLOATS, xq2, at), acc2);
                        acc3 = lo.fma(FloatVector.fromArray(FLOATS, xq3, at), acc3);
                        acc0 = hi.fma(FloatVector.fromArray(FLOATS, xq0, at + 32), acc0);
                        acc1 = hi.fma(FloatVector.fromArray(FLOATS, xq1, at + 32), acc1);
                        acc2 = hi.fma(FloatVector.fromArray(FLOATS, xq2, at + 32), acc2);
                        acc3 = hi.fma(FloatVector.fromArray(FLOATS, xq3, at + 32), acc3);
                    }
                }
            }
            float dx0 = x.scales[n][b];
            float dx1 = x.scales[n + 1][b];
            float dx2 = x.scales[n + 2][b];
            float dx3 = x.scales[n + 3][b];
            total0 = acc0.fma(FloatVector.broadcast(FLOATS, dx0 * d), total0);
            total1 = acc1.fma(FloatVector.broadcast(FLOATS, dx1 * d), total1);
            total2 = acc2.fma(FloatVector.broadcast(FLOATS, dx2 * d), total2);
            total3 = acc3.fma(FloatVector.broadcast(FLOATS, dx3 * d), total3);
            mins0 += -dx0 * dmin * minSum0;
            mins1 += -dx1 * dmin * minSum1;
            mins2 += -dx2 * dmin * minSum2;
            mins3 += -dx3 * dmin * minSum3;
        }
        out[n][row] = (from == 0 ? 0f : out[n][row]) + Lanes.sum(total0) + mins0;
        out[n + 1][row] = (from == 0 ? 0f : out[n + 1][row]) + Lanes.sum(total1) + mins1;
        out[n + 2][row] = (from == 0 ? 0f : out[n + 2][row]) + Lanes.sum(total2) + mins2;
        out[n + 3][row] = (from == 0 ? 0f : out[n + 3][row]) + Lanes.sum(total3) + mins3;
    }
}
