package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.Repacker;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.HALF_BYTES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * A Q6_K matrix repacked for integer products with {@link Q8_KInterleavedActivations}. Each 32 weights of a
 * super-block (two of its 16-weight scale blocks) are a block of the {@link InterleavedLayout} (one int lane),
 * with, per lane, the float products {@code d scale} of the super-block's fp16 {@code d} and the two 8-bit scales
 * (exact in a float). The 6-bit quants are stored less their offset of 32, as signed bytes, in the order of
 * {@link Q8_0Interleaved}: step {@code j}, row {@code i}, two bytes per lane (weights {@code 2j, 2j + 1}), matching
 * the activations' value pairs. A group stores, for its 4 rows x {@link InterleavedLayout#GROUP} lanes in turn:
 * the first halves' scales, the second halves' scales, then the 16 steps (40 bytes per 32 weights against Q6_K's
 * 26.25: whole bytes cost memory but keep the kernel as short as Q8_0's). A product of a quant (-32..31) and a
 * Q8_K quant is at most 4064 in magnitude, so a 16-bit lane sums a whole scale block (8 steps, 32512 at most)
 * before it is widened and scaled: llama.cpp's integer sums, exactly; it adds a super-block's 16 scaled sums in
 * integers before the float scale, here they are added in float, which differs by rounding only. The loops are
 * written out in full with no helper methods (see {@link Q4_0Interleaved}).
 */
final class Q6_KInterleaved implements IntegerMatrix {
    private static final int BLOCK_BYTES = 210;
    /** Bytes per lane and row beyond the 2 {@link InterleavedLayout} counts for a scale: 2 x 4 - 2 + 32. */
    private static final int LANE_BYTES = 38;
    private static final long SECOND_SCALES_AT = 16L * GROUP;
    private static final long QUANTS_AT = 32L * GROUP;
    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final InterleavedLayout layout;
    private final MemorySegment data;

    private Q6_KInterleaved(InterleavedLayout layout) {
        this.layout = layout;
        this.data = layout.data;
    }

    /** Repacks {@code rows} GGUF rows of {@code columns} weights (210-byte super-blocks) stored in {@code src}. */
    static Repacker repacker(MemorySegment src, int columns, int rows) {
        return new InterleavedRepacker(src, columns, rows, Math.multiplyExact(columns / 256, BLOCK_BYTES), LANE_BYTES,
                (quad, rowStart, block, group, row, lane) ->
                        place(quad, rowStart + block / 8 * BLOCK_BYTES, block % 8, group, row, lane),
                Q6_KInterleaved::new);
    }

    /**
     * Writes weights {@code 32 p .. 32 p + 31} of the super-block at {@code from} to lane {@code lane} of row
     * {@code row}. Q6_K keeps each half of 128 weights as 64 bytes {@code ql} of low nibbles and 32 bytes {@code qh}
     * of 2-bit high parts; quarter {@code t} of a half (32 weights {@code l}) takes the low ({@code t < 2}) or high
     * nibble of {@code ql[l + 32 (t % 2)]} and bits {@code 2t, 2t + 1} of {@code qh[l]}, and scales
     * {@code 8 half + 2t} and {@code 8 half + 2t + 1} (weights {@code l < 16}, then the rest).
     */
    private static void place(byte[] src, int from, int p, byte[] group, int row, int lane) {
        int half = p / 4;
        int t = p % 4;
        int ql = from + 64 * half + 32 * (t % 2);
        int qh = from + 128 + 32 * half;
        int nibbleShift = 4 * (t / 2);
        float d = Float.float16ToFloat((short) SHORT_LE.get(src, from + 208));
        int at = 4 * (row * GROUP + lane);
        FLOAT_LE.set(group, at, d * src[from + 192 + 8 * half + 2 * t]);
        FLOAT_LE.set(group, (int) SECOND_SCALES_AT + at, d * src[from + 192 + 8 * half + 2 * t + 1]);
        for (int l = 0; l < 32; l++) {
            int q = (src[ql + l] & 0xFF) >> nibbleShift & 0x0F | ((src[qh + l] & 0xFF) >> 2 * t & 3) << 4;
            group[(int) QUANTS_AT + (l / 2) * 8 * GROUP + 2 * (row * GROUP + lane) + l % 2] = (byte) (q - 32);
        }
    }

    @Override
    public int rows() {
        return layout.rows;
    }

    @Override
    public int columns() {
        return layout.columns;
    }

    @Override
    public long byteSize() {
        return data.byteSize();
    }

    @Override
    public ActivationFormat format() {
        return ActivationFormat.Q8_K_INTERLEAVED;
    }

    @Override
    public void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        Q8_KInterleavedActivations x = (Q8_KInterleavedActivations) activations;
        layout.check(x, rowStart, rowEnd, out);
        if (rowStart == rowEnd) {
            return;
        }
        int quadEnd = Math.ceilDiv(rowEnd, 4);
        int vectors = x.vectors();
        for (int first = 0; first < layout.groups; first += layout.sliceGroups) {
            int last = Math.min(layout.groups, first + layout.sliceGroups);
            for (int quad = rowStart / 4; quad < quadEnd; quad++) {
                long base = layout.offset(quad, first);
                int n = 0;
                for (; n + 1 < vectors; n += 2) {
                    pair(x, n, base, first, last, out, quad, rowStart, rowEnd);
                }
                if (n < vectors) {
                    single(x, n, base, first, last, out, quad, rowStart, rowEnd);
                }
            }
        }
    }

    /**
     * Vectors {@code n} and {@code n + 1} times one quad over groups {@code [first, last)}, each weight loaded
     * once for both (prompt prefill).
     */
    private void pair(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                      int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 2L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        short[] qb = x.quants[n + 1];
        float[] sb = x.scales[n + 1];
        FloatVector fb0 = FloatVector.zero(FLOATS);
        FloatVector fb1 = FloatVector.zero(FLOATS);
        FloatVector fb2 = FloatVector.zero(FLOATS);
        FloatVector fb3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            FloatVector xdb = FloatVector.fromArray(FLOATS, sb, g * GROUP);
            for (int h = 0; h < 2; h++) {
                ShortVector ca0 = ShortVector.zero(SHORTS);
                ShortVector ca1 = ShortVector.zero(SHORTS);
                ShortVector ca2 = ShortVector.zero(SHORTS);
                ShortVector ca3 = ShortVector.zero(SHORTS);
                ShortVector cb0 = ShortVector.zero(SHORTS);
                ShortVector cb1 = ShortVector.zero(SHORTS);
                ShortVector cb2 = ShortVector.zero(SHORTS);
                ShortVector cb3 = ShortVector.zero(SHORTS);
                for (int j = 8 * h; j < 8 * h + 8; j++) {
                    long wo = o + QUANTS_AT + j * 4 * rowStep;
                    ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + rowStep,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector w2 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 2 * rowStep,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector w3 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 3 * rowStep,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector ya = ShortVector.fromArray(SHORTS, qa, ab + j * lanes2);
                    ca0 = ca0.add(w0.mul(ya));
                    ca1 = ca1.add(w1.mul(ya));
                    ca2 = ca2.add(w2.mul(ya));
                    ca3 = ca3.add(w3.mul(ya));
                    ShortVector yb = ShortVector.fromArray(SHORTS, qb, ab + j * lanes2);
                    cb0 = cb0.add(w0.mul(yb));
                    cb1 = cb1.add(w1.mul(yb));
                    cb2 = cb2.add(w2.mul(yb));
                    cb3 = cb3.add(w3.mul(yb));
                }
                long scalesAt = h * SECOND_SCALES_AT;
                FloatVector d0 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia0 = ca0.reinterpretAsInts();
                fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d0, fa0);
                IntVector ib0 = cb0.reinterpretAsInts();
                fb0 = ((FloatVector) ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ib0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                        .fma(d0, fb0);
                FloatVector d1 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt + 4 * GROUP,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia1 = ca1.reinterpretAsInts();
                fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d1, fa1);
                IntVector ib1 = cb1.reinterpretAsInts();
                fb1 = ((FloatVector) ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ib1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                        .fma(d1, fb1);
                FloatVector d2 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt + 8 * GROUP,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia2 = ca2.reinterpretAsInts();
                fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d2, fa2);
                IntVector ib2 = cb2.reinterpretAsInts();
                fb2 = ((FloatVector) ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ib2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                        .fma(d2, fb2);
                FloatVector d3 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt + 12 * GROUP,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia3 = ca3.reinterpretAsInts();
                fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d3, fa3);
                IntVector ib3 = cb3.reinterpretAsInts();
                fb3 = ((FloatVector) ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ib3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                        .fma(d3, fb3);
            }
        }
        Q4_0Interleaved.store(Lanes.sum(fa0), Lanes.sum(fa1),
                Lanes.sum(fa2), Lanes.sum(fa3), out[n], quad * 4,
                rowStart, rowEnd, first > 0);
        Q4_0Interleaved.store(Lanes.sum(fb0), Lanes.sum(fb1),
                Lanes.sum(fb2), Lanes.sum(fb3), out[n + 1], quad * 4,
                rowStart, rowEnd, first > 0);
    }

    /** Vector {@code n} times one quad over groups {@code [first, last)}. */
    private void single(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                      int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 2L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            for (int h = 0; h < 2; h++) {
                ShortVector ca0 = ShortVector.zero(SHORTS);
                ShortVector ca1 = ShortVector.zero(SHORTS);
                ShortVector ca2 = ShortVector.zero(SHORTS);
                ShortVector ca3 = ShortVector.zero(SHORTS);
                for (int j = 8 * h; j < 8 * h + 8; j++) {
                    long wo = o + QUANTS_AT + j * 4 * rowStep;
                    ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + rowStep,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector w2 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 2 * rowStep,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector w3 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 3 * rowStep,
                            ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0);
                    ShortVector ya = ShortVector.fromArray(SHORTS, qa, ab + j * lanes2);
                    ca0 = ca0.add(w0.mul(ya));
                    ca1 = ca1.add(w1.mul(ya));
                    ca2 = ca2.add(w2.mul(ya));
                    ca3 = ca3.add(w3.mul(ya));
                }
                long scalesAt = h * SECOND_SCALES_AT;
                FloatVector d0 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia0 = ca0.reinterpretAsInts();
                fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d0, fa0);
                FloatVector d1 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt + 4 * GROUP,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia1 = ca1.reinterpretAsInts();
                fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d1, fa1);
                FloatVector d2 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt + 8 * GROUP,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia2 = ca2.reinterpretAsInts();
                fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d2, fa2);
                FloatVector d3 = FloatVector.fromMemorySegment(FLOATS, data, o + scalesAt + 12 * GROUP,
                        ByteOrder.LITTLE_ENDIAN);
                IntVector ia3 = ca3.reinterpretAsInts();
                fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d3, fa3);
            }
        }
        Q4_0Interleaved.store(Lanes.sum(fa0), Lanes.sum(fa1),
                Lanes.sum(fa2), Lanes.sum(fa3), out[n], quad * 4,
                rowStart, rowEnd, first > 0);
    }
}
