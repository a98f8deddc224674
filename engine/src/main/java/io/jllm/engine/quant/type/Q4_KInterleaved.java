package io.jllm.engine.quant.type;

import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.Repacker;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * A Q4_K matrix repacked for integer products with {@link Q8_KInterleavedActivations}. Each 32-weight sub-block
 * of a super-block is a block of the {@link InterleavedLayout} (one int lane): its nibbles placed exactly as
 * {@link Q4_0Interleaved} places a Q4_0 block's, with, per lane, the super-block's fp16 {@code d} and
 * {@code dmin} and the sub-block's 6-bit scale and min. A group stores, for its 4 rows x {@link
 * InterleavedLayout#GROUP} lanes in turn: the {@code d}s, the {@code dmin}s, the shorts {@code scale | min << 8},
 * then the four quant steps. Per lane the kernel computes llama.cpp's terms,
 * {@code d dx scale sum(q x_q) - dmin dx min sum(x_q)}, the integer sums exact (a nibble times a Q8_K quant,
 * at most 16 per 16-bit lane: 15 x 127 x 16 fits); llama.cpp adds a super-block's eight sub-blocks in integers
 * before scaling, here they are added in float, which differs by rounding only. The loops are written out in
 * full with no helper methods (see {@link Q4_0Interleaved}).
 */
final class Q4_KInterleaved implements IntegerMatrix {
    private static final int BLOCK_BYTES = 144;
    /** Bytes per lane and row apart from the fp16 {@code d}: {@code dmin}, scale and min, 16 bytes of quants. */
    private static final int LANE_BYTES = 20;
    private static final long QUANTS_AT = 24L * GROUP;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;

    private final InterleavedLayout layout;
    private final MemorySegment data;

    private Q4_KInterleaved(InterleavedLayout layout) {
        this.layout = layout;
        this.data = layout.data;
    }

    /** Repacks {@code rows} GGUF rows of {@code columns} weights (144-byte super-blocks) stored in {@code src}. */
    static Repacker repacker(MemorySegment src, int columns, int rows) {
        return new Repacker() {
            @Override
            public long byteSize() {
                return InterleavedLayout.byteSize(rows, columns, LANE_BYTES);
            }

            @Override
            public int pieces() {
                return Math.ceilDiv(rows, 4);
            }

            @Override
            public void fill(MemorySegment copy, int from, int to) {
                Q4_KInterleaved.fill(src, new InterleavedLayout(rows, columns, LANE_BYTES, copy), from, to);
            }

            @Override
            public IntegerMatrix wrap(MemorySegment copy) {
                return new Q4_KInterleaved(new InterleavedLayout(rows, columns, LANE_BYTES, copy));
            }
        };
    }

    /** Copies every sub-block of quads {@code [quadStart, quadEnd)} to its lane; padding stays zero. */
    private static void fill(MemorySegment src, InterleavedLayout layout, int quadStart, int quadEnd) {
        int blocks = layout.columns / 32;
        int rowBytes = Math.multiplyExact(blocks / 8, BLOCK_BYTES);
        byte[] quad = new byte[Math.multiplyExact(4, rowBytes)];
        byte[] group = new byte[Math.toIntExact(layout.groupBytes)];
        for (int q = quadStart; q < quadEnd; q++) {
            int quadRows = Math.min(4, layout.rows - 4 * q);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 4L * q * rowBytes, quad, 0, quadRows * rowBytes);
            for (int g = 0; g < layout.groups; g++) {
                Arrays.fill(group, (byte) 0);
                int lanes = Math.min(GROUP, blocks - g * GROUP);
                for (int i = 0; i < quadRows; i++) {
                    for (int l = 0; l < lanes; l++) {
                        int b = g * GROUP + l;
                        place(quad, i * rowBytes + b / 8 * BLOCK_BYTES, b % 8, group, i, l);
                    }
                }
                MemorySegment.copy(group, 0, layout.data, ValueLayout.JAVA_BYTE, layout.offset(q, g), group.length);
            }
        }
    }

    /**
     * Writes sub-block {@code j} of the super-block at {@code from} to lane {@code lane} of row {@code row}: its
     * {@code d}, {@code dmin}, scale and min ({@code get_scale_min_k4}), and its quants (the low nibbles of the
     * pair's 32 bytes for an even {@code j}, the high ones for an odd), step {@code k} holding weights
     * {@code 8k .. 8k + 7}, the even weights' nibbles at bits 0-15, the odd ones' at bits 16-31.
     */
    private static void place(byte[] src, int from, int j, byte[] group, int row, int lane) {
        int at = (int) InterleavedLayout.scaleOffset(row, lane);
        group[at] = src[from];
        group[at + 1] = src[from + 1];
        group[8 * GROUP + at] = src[from + 2];
        group[8 * GROUP + at + 1] = src[from + 3];
        int scales = from + 4;
        int scale;
        int min;
        if (j < 4) {
            scale = src[scales + j] & 63;
            min = src[scales + j + 4] & 63;
        } else {
            scale = (src[scales + j + 4] & 0x0F) | (src[scales + j - 4] & 0xC0) >> 2;
            min = (src[scales + j + 4] & 0xFF) >> 4 | (src[scales + j] & 0xC0) >> 2;
        }
        group[16 * GROUP + at] = (byte) scale;
        group[16 * GROUP + at + 1] = (byte) min;
        int quants = from + 16 + 32 * (j / 2);
        int shift = 4 * (j % 2);
        int to = (int) QUANTS_AT + 4 * (row * GROUP + lane);
        for (int k = 0; k < 4; k++) {
            long nibbles = (long) LONG_LE.get(src, quants + 8 * k) >>> shift & LOW_NIBBLES;
            INT_LE.set(group, to + k * 16 * GROUP, gather(nibbles) | gather(nibbles >>> 8) << 16);
        }
    }

    /** The nibbles in bytes 0, 2, 4 and 6 of {@code bytes}, packed into bits 0-15 in that order. */
    private static int gather(long bytes) {
        long even = bytes & 0x000F000F000F000FL;
        long pairs = (even | even >>> 12) & 0x000000FF000000FFL;
        return (int) ((pairs | pairs >>> 24) & 0xFFFF);
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

    /** Vectors {@code n} and {@code n + 1} times one quad over groups {@code [first, last)}, each nibble unpacked once for both. */
    private void pair(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                      int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long quantsAt = QUANTS_AT;
        long rowStep = 4L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        int[] ma = x.sums[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        short[] qb = x.quants[n + 1];
        float[] sb = x.scales[n + 1];
        int[] mb = x.sums[n + 1];
        FloatVector fb0 = FloatVector.zero(FLOATS);
        FloatVector fb1 = FloatVector.zero(FLOATS);
        FloatVector fb2 = FloatVector.zero(FLOATS);
        FloatVector fb3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            ShortVector ca0 = ShortVector.zero(SHORTS);
            ShortVector ca1 = ShortVector.zero(SHORTS);
            ShortVector ca2 = ShortVector.zero(SHORTS);
            ShortVector ca3 = ShortVector.zero(SHORTS);
            ShortVector cb0 = ShortVector.zero(SHORTS);
            ShortVector cb1 = ShortVector.zero(SHORTS);
            ShortVector cb2 = ShortVector.zero(SHORTS);
            ShortVector cb3 = ShortVector.zero(SHORTS);
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            for (int k = 0; k < 4; k++) {
                long wo = o + quantsAt + k * 4 * rowStep;
                IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
                IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                int ak = ab + 4 * k * lanes2;
                ShortVector xa0 = ShortVector.fromArray(SHORTS, qa, ak);
                ShortVector xb0 = ShortVector.fromArray(SHORTS, qb, ak);
                ShortVector n00 = w0.and(0x000F000F).reinterpretAsShorts();
                ShortVector n01 = w1.and(0x000F000F).reinterpretAsShorts();
                ShortVector n02 = w2.and(0x000F000F).reinterpretAsShorts();
                ShortVector n03 = w3.and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n00.mul(xa0));
                ca1 = ca1.add(n01.mul(xa0));
                ca2 = ca2.add(n02.mul(xa0));
                ca3 = ca3.add(n03.mul(xa0));
                cb0 = cb0.add(n00.mul(xb0));
                cb1 = cb1.add(n01.mul(xb0));
                cb2 = cb2.add(n02.mul(xb0));
                cb3 = cb3.add(n03.mul(xb0));
                ShortVector xa1 = ShortVector.fromArray(SHORTS, qa, ak + lanes2);
                ShortVector xb1 = ShortVector.fromArray(SHORTS, qb, ak + lanes2);
                ShortVector n10 = w0.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ShortVector n11 = w1.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ShortVector n12 = w2.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ShortVector n13 = w3.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n10.mul(xa1));
                ca1 = ca1.add(n11.mul(xa1));
                ca2 = ca2.add(n12.mul(xa1));
                ca3 = ca3.add(n13.mul(xa1));
                cb0 = cb0.add(n10.mul(xb1));
                cb1 = cb1.add(n11.mul(xb1));
                cb2 = cb2.add(n12.mul(xb1));
                cb3 = cb3.add(n13.mul(xb1));
                ShortVector xa2 = ShortVector.fromArray(SHORTS, qa, ak + 2 * lanes2);
                ShortVector xb2 = ShortVector.fromArray(SHORTS, qb, ak + 2 * lanes2);
                ShortVector n20 = w0.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ShortVector n21 = w1.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ShortVector n22 = w2.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ShortVector n23 = w3.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n20.mul(xa2));
                ca1 = ca1.add(n21.mul(xa2));
                ca2 = ca2.add(n22.mul(xa2));
                ca3 = ca3.add(n23.mul(xa2));
                cb0 = cb0.add(n20.mul(xb2));
                cb1 = cb1.add(n21.mul(xb2));
                cb2 = cb2.add(n22.mul(xb2));
                cb3 = cb3.add(n23.mul(xb2));
                ShortVector xa3 = ShortVector.fromArray(SHORTS, qa, ak + 3 * lanes2);
                ShortVector xb3 = ShortVector.fromArray(SHORTS, qb, ak + 3 * lanes2);
                ShortVector n30 = w0.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ShortVector n31 = w1.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ShortVector n32 = w2.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ShortVector n33 = w3.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n30.mul(xa3));
                ca1 = ca1.add(n31.mul(xa3));
                ca2 = ca2.add(n32.mul(xa3));
                ca3 = ca3.add(n33.mul(xa3));
                cb0 = cb0.add(n30.mul(xb3));
                cb1 = cb1.add(n31.mul(xb3));
                cb2 = cb2.add(n32.mul(xb3));
                cb3 = cb3.add(n33.mul(xb3));
            }
            IntVector suma = IntVector.fromArray(INTS, ma, g * GROUP);
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector sumb = IntVector.fromArray(INTS, mb, g * GROUP);
            FloatVector xdb = FloatVector.fromArray(FLOATS, sb, g * GROUP);
            IntVector hd0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d0 = hd0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd0.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 8 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm0 = hdm0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm0.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 16 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc0 = scm0.and(0xFF);
            IntVector mn0 = scm0.lanewise(VectorOperators.LSHR, 8);
            IntVector ia0 = ca0.reinterpretAsInts();
            FloatVector ta0 = (FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).mul(sc0).convert(VectorOperators.I2F, 0);
            FloatVector ua0 = (FloatVector) mn0.mul(suma).convert(VectorOperators.I2F, 0);
            fa0 = ta0.fma(d0, ua0.mul(dm0).neg()).fma(xda, fa0);
            IntVector ib0 = cb0.reinterpretAsInts();
            FloatVector tb0 = (FloatVector) ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib0.lanewise(VectorOperators.ASHR, 16)).mul(sc0).convert(VectorOperators.I2F, 0);
            FloatVector ub0 = (FloatVector) mn0.mul(sumb).convert(VectorOperators.I2F, 0);
            fb0 = tb0.fma(d0, ub0.mul(dm0).neg()).fma(xdb, fb0);
            IntVector hd1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d1 = hd1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd1.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 10 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm1 = hdm1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm1.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 18 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc1 = scm1.and(0xFF);
            IntVector mn1 = scm1.lanewise(VectorOperators.LSHR, 8);
            IntVector ia1 = ca1.reinterpretAsInts();
            FloatVector ta1 = (FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).mul(sc1).convert(VectorOperators.I2F, 0);
            FloatVector ua1 = (FloatVector) mn1.mul(suma).convert(VectorOperators.I2F, 0);
            fa1 = ta1.fma(d1, ua1.mul(dm1).neg()).fma(xda, fa1);
            IntVector ib1 = cb1.reinterpretAsInts();
            FloatVector tb1 = (FloatVector) ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib1.lanewise(VectorOperators.ASHR, 16)).mul(sc1).convert(VectorOperators.I2F, 0);
            FloatVector ub1 = (FloatVector) mn1.mul(sumb).convert(VectorOperators.I2F, 0);
            fb1 = tb1.fma(d1, ub1.mul(dm1).neg()).fma(xdb, fb1);
            IntVector hd2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d2 = hd2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd2.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 12 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm2 = hdm2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm2.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 20 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc2 = scm2.and(0xFF);
            IntVector mn2 = scm2.lanewise(VectorOperators.LSHR, 8);
            IntVector ia2 = ca2.reinterpretAsInts();
            FloatVector ta2 = (FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).mul(sc2).convert(VectorOperators.I2F, 0);
            FloatVector ua2 = (FloatVector) mn2.mul(suma).convert(VectorOperators.I2F, 0);
            fa2 = ta2.fma(d2, ua2.mul(dm2).neg()).fma(xda, fa2);
            IntVector ib2 = cb2.reinterpretAsInts();
            FloatVector tb2 = (FloatVector) ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib2.lanewise(VectorOperators.ASHR, 16)).mul(sc2).convert(VectorOperators.I2F, 0);
            FloatVector ub2 = (FloatVector) mn2.mul(sumb).convert(VectorOperators.I2F, 0);
            fb2 = tb2.fma(d2, ub2.mul(dm2).neg()).fma(xdb, fb2);
            IntVector hd3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d3 = hd3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd3.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 14 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm3 = hdm3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm3.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 22 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc3 = scm3.and(0xFF);
            IntVector mn3 = scm3.lanewise(VectorOperators.LSHR, 8);
            IntVector ia3 = ca3.reinterpretAsInts();
            FloatVector ta3 = (FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).mul(sc3).convert(VectorOperators.I2F, 0);
            FloatVector ua3 = (FloatVector) mn3.mul(suma).convert(VectorOperators.I2F, 0);
            fa3 = ta3.fma(d3, ua3.mul(dm3).neg()).fma(xda, fa3);
            IntVector ib3 = cb3.reinterpretAsInts();
            FloatVector tb3 = (FloatVector) ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib3.lanewise(VectorOperators.ASHR, 16)).mul(sc3).convert(VectorOperators.I2F, 0);
            FloatVector ub3 = (FloatVector) mn3.mul(sumb).convert(VectorOperators.I2F, 0);
            fb3 = tb3.fma(d3, ub3.mul(dm3).neg()).fma(xdb, fb3);
        }
        Q4_0Interleaved.store(fa0.reduceLanes(VectorOperators.ADD), fa1.reduceLanes(VectorOperators.ADD),
                fa2.reduceLanes(VectorOperators.ADD), fa3.reduceLanes(VectorOperators.ADD), out[n], quad * 4,
                rowStart, rowEnd, first > 0);
        Q4_0Interleaved.store(fb0.reduceLanes(VectorOperators.ADD), fb1.reduceLanes(VectorOperators.ADD),
                fb2.reduceLanes(VectorOperators.ADD), fb3.reduceLanes(VectorOperators.ADD), out[n + 1], quad * 4,
                rowStart, rowEnd, first > 0);
    }

    /** Vector {@code n} times one quad over groups {@code [first, last)}. */
    private void single(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                      int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long quantsAt = QUANTS_AT;
        long rowStep = 4L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        int[] ma = x.sums[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            ShortVector ca0 = ShortVector.zero(SHORTS);
            ShortVector ca1 = ShortVector.zero(SHORTS);
            ShortVector ca2 = ShortVector.zero(SHORTS);
            ShortVector ca3 = ShortVector.zero(SHORTS);
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            for (int k = 0; k < 4; k++) {
                long wo = o + quantsAt + k * 4 * rowStep;
                IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
                IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                int ak = ab + 4 * k * lanes2;
                ShortVector xa0 = ShortVector.fromArray(SHORTS, qa, ak);
                ShortVector n00 = w0.and(0x000F000F).reinterpretAsShorts();
                ShortVector n01 = w1.and(0x000F000F).reinterpretAsShorts();
                ShortVector n02 = w2.and(0x000F000F).reinterpretAsShorts();
                ShortVector n03 = w3.and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n00.mul(xa0));
                ca1 = ca1.add(n01.mul(xa0));
                ca2 = ca2.add(n02.mul(xa0));
                ca3 = ca3.add(n03.mul(xa0));
                ShortVector xa1 = ShortVector.fromArray(SHORTS, qa, ak + lanes2);
                ShortVector n10 = w0.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ShortVector n11 = w1.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ShortVector n12 = w2.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ShortVector n13 = w3.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n10.mul(xa1));
                ca1 = ca1.add(n11.mul(xa1));
                ca2 = ca2.add(n12.mul(xa1));
                ca3 = ca3.add(n13.mul(xa1));
                ShortVector xa2 = ShortVector.fromArray(SHORTS, qa, ak + 2 * lanes2);
                ShortVector n20 = w0.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ShortVector n21 = w1.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ShortVector n22 = w2.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ShortVector n23 = w3.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n20.mul(xa2));
                ca1 = ca1.add(n21.mul(xa2));
                ca2 = ca2.add(n22.mul(xa2));
                ca3 = ca3.add(n23.mul(xa2));
                ShortVector xa3 = ShortVector.fromArray(SHORTS, qa, ak + 3 * lanes2);
                ShortVector n30 = w0.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ShortVector n31 = w1.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ShortVector n32 = w2.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ShortVector n33 = w3.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts();
                ca0 = ca0.add(n30.mul(xa3));
                ca1 = ca1.add(n31.mul(xa3));
                ca2 = ca2.add(n32.mul(xa3));
                ca3 = ca3.add(n33.mul(xa3));
            }
            IntVector suma = IntVector.fromArray(INTS, ma, g * GROUP);
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector hd0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d0 = hd0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd0.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 8 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm0 = hdm0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm0.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 16 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc0 = scm0.and(0xFF);
            IntVector mn0 = scm0.lanewise(VectorOperators.LSHR, 8);
            IntVector ia0 = ca0.reinterpretAsInts();
            FloatVector ta0 = (FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).mul(sc0).convert(VectorOperators.I2F, 0);
            FloatVector ua0 = (FloatVector) mn0.mul(suma).convert(VectorOperators.I2F, 0);
            fa0 = ta0.fma(d0, ua0.mul(dm0).neg()).fma(xda, fa0);
            IntVector hd1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d1 = hd1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd1.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 10 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm1 = hdm1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm1.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 18 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc1 = scm1.and(0xFF);
            IntVector mn1 = scm1.lanewise(VectorOperators.LSHR, 8);
            IntVector ia1 = ca1.reinterpretAsInts();
            FloatVector ta1 = (FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).mul(sc1).convert(VectorOperators.I2F, 0);
            FloatVector ua1 = (FloatVector) mn1.mul(suma).convert(VectorOperators.I2F, 0);
            fa1 = ta1.fma(d1, ua1.mul(dm1).neg()).fma(xda, fa1);
            IntVector hd2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d2 = hd2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd2.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 12 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm2 = hdm2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm2.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 20 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc2 = scm2.and(0xFF);
            IntVector mn2 = scm2.lanewise(VectorOperators.LSHR, 8);
            IntVector ia2 = ca2.reinterpretAsInts();
            FloatVector ta2 = (FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).mul(sc2).convert(VectorOperators.I2F, 0);
            FloatVector ua2 = (FloatVector) mn2.mul(suma).convert(VectorOperators.I2F, 0);
            fa2 = ta2.fma(d2, ua2.mul(dm2).neg()).fma(xda, fa2);
            IntVector hd3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d3 = hd3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hd3.and(0x8000_0000)).reinterpretAsFloats();
            IntVector hdm3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 14 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector dm3 = hdm3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(hdm3.and(0x8000_0000)).reinterpretAsFloats();
            IntVector scm3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 22 * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector sc3 = scm3.and(0xFF);
            IntVector mn3 = scm3.lanewise(VectorOperators.LSHR, 8);
            IntVector ia3 = ca3.reinterpretAsInts();
            FloatVector ta3 = (FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).mul(sc3).convert(VectorOperators.I2F, 0);
            FloatVector ua3 = (FloatVector) mn3.mul(suma).convert(VectorOperators.I2F, 0);
            fa3 = ta3.fma(d3, ua3.mul(dm3).neg()).fma(xda, fa3);
        }
        Q4_0Interleaved.store(fa0.reduceLanes(VectorOperators.ADD), fa1.reduceLanes(VectorOperators.ADD),
                fa2.reduceLanes(VectorOperators.ADD), fa3.reduceLanes(VectorOperators.ADD), out[n], quad * 4,
                rowStart, rowEnd, first > 0);
    }
}
