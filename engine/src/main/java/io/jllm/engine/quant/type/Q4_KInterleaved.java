package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.Repacker;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * A Q4_K matrix repacked for integer products with {@link Q8_KInterleavedActivations}. Each 32-weight sub-block
 * of a super-block is a block of the {@link InterleavedLayout} (one int lane): its nibbles placed exactly as
 * {@link Q4_0Interleaved} places a Q4_0 block's, with its 6-bit scale and min as bytes, and its super-block's fp16
 * {@code d} and {@code dmin} as two floats per row and super-block. A group stores, for its 4 rows x
 * {@link InterleavedLayout#GROUP} lanes in turn: the floats {@code d, dmin} of each super-block the row's lanes
 * belong to; the scale and min bytes; then the four quant steps (19 bytes per 32 weights against Q4_K's 18, 20 with
 * 128-bit vectors, whose groups hold half a super-block; whole float products {@code d scale} per lane took 24:
 * decoding streams
 * the weights from memory, so bytes cost more than the two lane permutes and two int-to-float conversions per row
 * that rebuild the products, which are exact in a float and so the same). Per lane the kernel computes
 * llama.cpp's terms, {@code d scale dx sum(q x_q) - dmin min dx sum(x_q)}, the integer sums exact (a nibble times
 * a Q8_K quant, at most 16 per 16-bit lane: 15 x 127 x 16 fits); llama.cpp adds a super-block's eight sub-blocks
 * in integers before scaling, here they are added in float, which differs by rounding only. The loops are
 * written out in full with no helper methods (see {@link Q4_0Interleaved}) except the per-group scale work
 * ({@link #groupScales}).
 */
final class Q4_KInterleaved
        extends InterleavedMatrix implements InterleavedLayout.UnpackingQuadKernel<Q8_KInterleavedActivations> {
    private static final int BLOCK_BYTES = 144;
    /**
     * Bytes per row at the head of a group: the floats {@code d, dmin} of each of the row's super-blocks there
     * ({@code GROUP / 8} of them), or of the one whose half the group holds (128-bit vectors, 4 lanes).
     */
    private static final int FLOATS_ROW_BYTES = Math.max(8, GROUP);
    /** Then per lane and row its 6-bit scale and min as two bytes, then 16 bytes of quants per lane and row. */
    private static final long SCALES_AT = 4L * FLOATS_ROW_BYTES;
    private static final long QUANTS_AT = SCALES_AT + 8L * GROUP;
    private static final long GROUP_BYTES = QUANTS_AT + 64L * GROUP;
    /** For each lane, the float index (in its row's head) of its super-block's {@code d}; {@code dmin} follows it. */
    private static final VectorShuffle<Float> SUPER_D = VectorShuffle.fromOp(FLOATS, l -> l / 8 * 2);
    private static final VectorShuffle<Float> SUPER_DMIN = VectorShuffle.fromOp(FLOATS, l -> l / 8 * 2 + 1);
    /** Per worker thread: one group's {@link #groupScales}. */
    private static final ThreadLocal<float[]> SCALE_PRODUCTS = ThreadLocal.withInitial(() -> new float[8 * GROUP]);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;


    private Q4_KInterleaved(InterleavedLayout layout) {
        super(layout);
    }

    /** Repacks {@code rows} GGUF rows of {@code columns} weights (144-byte super-blocks) stored in {@code src}. */
    static Repacker repacker(MemorySegment src, int columns, int rows) {
        return new InterleavedRepacker(src, columns, rows, Math.multiplyExact(columns / 256, BLOCK_BYTES), GROUP_BYTES,
                (quad, rowStart, block, group, row, lane) ->
                        place(quad, rowStart + block / 8 * BLOCK_BYTES, block % 8, group, row, lane),
                Q4_KInterleaved::new);
    }

    /**
     * Writes sub-block {@code j} of the super-block at {@code from} to lane {@code lane} of row {@code row}: its
     * float scales {@code d scale} and {@code dmin min} ({@code get_scale_min_k4}; an fp16 times a 6-bit integer
     * is exact in a float, so these products round nothing), and its quants (the low nibbles of the pair's 32
     * bytes for an even {@code j}, the high ones for an odd), step {@code k} holding weights {@code 8k .. 8k + 7},
     * the even weights' nibbles at bits 0-15, the odd ones' at bits 16-31.
     */
    private static void place(byte[] src, int from, int j, byte[] group, int row, int lane) {
        int scales16 = (int) INT_LE.get(src, from);
        float d = Float.float16ToFloat((short) scales16);
        float dmin = Float.float16ToFloat((short) (scales16 >>> 16));
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
        if (lane % 8 == 0) {
            int head = row * FLOATS_ROW_BYTES + lane / 8 * 8;
            FLOAT_LE.set(group, head, d);
            FLOAT_LE.set(group, head + 4, dmin);
        }
        int slot = 2 * (row * GROUP + lane);
        group[(int) SCALES_AT + slot] = (byte) scale;
        group[(int) SCALES_AT + slot + 1] = (byte) min;
        int quants = from + 16 + 32 * (j / 2);
        int shift = 4 * (j % 2);
        int to = (int) QUANTS_AT + 2 * slot;
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
    public ActivationFormat format() {
        return ActivationFormat.Q8_K_INTERLEAVED;
    }

    @Override
    public void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        layout.multiply((Q8_KInterleavedActivations) activations, rowStart, rowEnd, out, this);
    }

    /**
     * Rebuilds the group at {@code o}'s products {@code d scale} (row {@code i} at {@code into[at + i GROUP ..]}) and
     * {@code dmin min} (at {@code into[at + (4 + i) GROUP ..]}): each lane's super-block floats moved to it by a lane
     * permute, times its scale and min bytes. Its own method, called once per group: written into the kernels, it
     * made them too large for C1, which then never profiled them for C2 (they ran 50x slower).
     */
    private void groupScales(long o, float[] into, int at) {
        for (int i = 0; i < 4; i++) {
            FloatVector s = FloatVector.fromMemorySegment(FLOATS, data, o + (long) i * FLOATS_ROW_BYTES,
                    ByteOrder.LITTLE_ENDIAN);
            IntVector m = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + SCALES_AT + 2L * i * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            s.rearrange(SUPER_D).mul((FloatVector) m.and(0xFF).convert(VectorOperators.I2F, 0))
                    .intoArray(into, at + i * GROUP);
            // scale and min are 6-bit, so the widened short has nothing above the min
            s.rearrange(SUPER_DMIN).mul((FloatVector) m.lanewise(VectorOperators.LSHR, 8)
                    .convert(VectorOperators.I2F, 0)).intoArray(into, at + (4 + i) * GROUP);
        }
    }

    /** Unpacks the nibbles and the products {@code d scale} and {@code dmin min} ({@link #groupScales}). */
    @Override
    public void unpack(long base, int first, int last, UnpackedQuad into) {
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            into.unpackNibbles(data, o + QUANTS_AT, g - first, (short) 0);
            groupScales(o, into.scales, (g - first) * UnpackedQuad.GROUP_SCALES);
        }
    }

    /**
     * Per lane {@code d scale dx sum(q x_q) - dmin min dx sum(x_q)} as {@link #pair} computes it: the same
     * integers and float operations, so the same bits.
     */
    @Override
    public void fourGroup(Q8_KInterleavedActivations x, int n, int g, int gi, UnpackedQuad quadSlice) {
        quadSlice.sumFour(x.quants, n, g, gi, 0, 16);
        int[] sums = quadSlice.sums;
        float[] acc = quadSlice.accumulators;
        float[] scales = quadSlice.scales;
        int s = gi * UnpackedQuad.GROUP_SCALES;
        FloatVector d0 = FloatVector.fromArray(FLOATS, scales, s);
        FloatVector d1 = FloatVector.fromArray(FLOATS, scales, s + GROUP);
        FloatVector d2 = FloatVector.fromArray(FLOATS, scales, s + 2 * GROUP);
        FloatVector d3 = FloatVector.fromArray(FLOATS, scales, s + 3 * GROUP);
        FloatVector m0 = FloatVector.fromArray(FLOATS, scales, s + 4 * GROUP);
        FloatVector m1 = FloatVector.fromArray(FLOATS, scales, s + 5 * GROUP);
        FloatVector m2 = FloatVector.fromArray(FLOATS, scales, s + 6 * GROUP);
        FloatVector m3 = FloatVector.fromArray(FLOATS, scales, s + 7 * GROUP);
        for (int v = 0; v < 4; v++) {
            FloatVector xd = FloatVector.fromArray(FLOATS, x.scales[n + v], g * GROUP);
            FloatVector xm = FloatVector.fromArray(FLOATS, x.sums[n + v], g * GROUP).mul(xd).neg();
            int at = 4 * v * GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                    .fma(d0, m0.fma(xm, FloatVector.fromArray(FLOATS, acc, at))).intoArray(acc, at);
            at += GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                    .fma(d1, m1.fma(xm, FloatVector.fromArray(FLOATS, acc, at))).intoArray(acc, at);
            at += GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                    .fma(d2, m2.fma(xm, FloatVector.fromArray(FLOATS, acc, at))).intoArray(acc, at);
            at += GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                    .fma(d3, m3.fma(xm, FloatVector.fromArray(FLOATS, acc, at))).intoArray(acc, at);
        }
    }

    /**
     * Vectors {@code n} and {@code n + 1} times one quad over groups {@code [first, last)}, each nibble unpacked
     * once for both (small batches; larger ones go through {@link UnpackedQuad}).
     */
    @Override
    public void pair(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                     int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long quantsAt = QUANTS_AT;
        long rowStep = 4L * GROUP;
        float[] scales = SCALE_PRODUCTS.get();
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        float[] ma = x.sums[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        short[] qb = x.quants[n + 1];
        float[] sb = x.scales[n + 1];
        float[] mb = x.sums[n + 1];
        FloatVector fb0 = FloatVector.zero(FLOATS);
        FloatVector fb1 = FloatVector.zero(FLOATS);
        FloatVector fb2 = FloatVector.zero(FLOATS);
        FloatVector fb3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            groupScales(o, scales, 0);
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
                ShortVector n30 = w0.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n31 = w1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n32 = w2.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n33 = w3.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ca0 = ca0.add(n30.mul(xa3));
                ca1 = ca1.add(n31.mul(xa3));
                ca2 = ca2.add(n32.mul(xa3));
                ca3 = ca3.add(n33.mul(xa3));
                cb0 = cb0.add(n30.mul(xb3));
                cb1 = cb1.add(n31.mul(xb3));
                cb2 = cb2.add(n32.mul(xb3));
                cb3 = cb3.add(n33.mul(xb3));
            }
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            FloatVector xma = FloatVector.fromArray(FLOATS, ma, g * GROUP).mul(xda).neg();
            FloatVector xdb = FloatVector.fromArray(FLOATS, sb, g * GROUP);
            FloatVector xmb = FloatVector.fromArray(FLOATS, mb, g * GROUP).mul(xdb).neg();
            FloatVector d0 = FloatVector.fromArray(FLOATS, scales, 0 * GROUP);
            FloatVector dm0 = FloatVector.fromArray(FLOATS, scales, 4 * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d0, dm0.fma(xma, fa0));
            IntVector ib0 = cb0.reinterpretAsInts();
            fb0 = ((FloatVector) ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                    .fma(d0, dm0.fma(xmb, fb0));
            FloatVector d1 = FloatVector.fromArray(FLOATS, scales, 1 * GROUP);
            FloatVector dm1 = FloatVector.fromArray(FLOATS, scales, 5 * GROUP);
            IntVector ia1 = ca1.reinterpretAsInts();
            fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d1, dm1.fma(xma, fa1));
            IntVector ib1 = cb1.reinterpretAsInts();
            fb1 = ((FloatVector) ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                    .fma(d1, dm1.fma(xmb, fb1));
            FloatVector d2 = FloatVector.fromArray(FLOATS, scales, 2 * GROUP);
            FloatVector dm2 = FloatVector.fromArray(FLOATS, scales, 6 * GROUP);
            IntVector ia2 = ca2.reinterpretAsInts();
            fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d2, dm2.fma(xma, fa2));
            IntVector ib2 = cb2.reinterpretAsInts();
            fb2 = ((FloatVector) ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                    .fma(d2, dm2.fma(xmb, fb2));
            FloatVector d3 = FloatVector.fromArray(FLOATS, scales, 3 * GROUP);
            FloatVector dm3 = FloatVector.fromArray(FLOATS, scales, 7 * GROUP);
            IntVector ia3 = ca3.reinterpretAsInts();
            fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d3, dm3.fma(xma, fa3));
            IntVector ib3 = cb3.reinterpretAsInts();
            fb3 = ((FloatVector) ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                    .fma(d3, dm3.fma(xmb, fb3));
        }
        float[] four = Lanes.fourVectors();
        fa0.intoArray(four, 0);
        fa1.intoArray(four, GROUP);
        fa2.intoArray(four, 2 * GROUP);
        fa3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
        fb0.intoArray(four, 0);
        fb1.intoArray(four, GROUP);
        fb2.intoArray(four, 2 * GROUP);
        fb3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n + 1], quad * 4, rowStart, rowEnd, first > 0);
    }

    /** Vector {@code n} times one quad over groups {@code [first, last)}. */
    @Override
    public void single(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                       int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long quantsAt = QUANTS_AT;
        long rowStep = 4L * GROUP;
        float[] scales = SCALE_PRODUCTS.get();
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        float[] ma = x.sums[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            groupScales(o, scales, 0);
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
                ShortVector n30 = w0.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n31 = w1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n32 = w2.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n33 = w3.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ca0 = ca0.add(n30.mul(xa3));
                ca1 = ca1.add(n31.mul(xa3));
                ca2 = ca2.add(n32.mul(xa3));
                ca3 = ca3.add(n33.mul(xa3));
            }
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            FloatVector xma = FloatVector.fromArray(FLOATS, ma, g * GROUP).mul(xda).neg();
            FloatVector d0 = FloatVector.fromArray(FLOATS, scales, 0 * GROUP);
            FloatVector dm0 = FloatVector.fromArray(FLOATS, scales, 4 * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d0, dm0.fma(xma, fa0));
            FloatVector d1 = FloatVector.fromArray(FLOATS, scales, 1 * GROUP);
            FloatVector dm1 = FloatVector.fromArray(FLOATS, scales, 5 * GROUP);
            IntVector ia1 = ca1.reinterpretAsInts();
            fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d1, dm1.fma(xma, fa1));
            FloatVector d2 = FloatVector.fromArray(FLOATS, scales, 2 * GROUP);
            FloatVector dm2 = FloatVector.fromArray(FLOATS, scales, 6 * GROUP);
            IntVector ia2 = ca2.reinterpretAsInts();
            fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d2, dm2.fma(xma, fa2));
            FloatVector d3 = FloatVector.fromArray(FLOATS, scales, 3 * GROUP);
            FloatVector dm3 = FloatVector.fromArray(FLOATS, scales, 7 * GROUP);
            IntVector ia3 = ca3.reinterpretAsInts();
            fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                    .fma(d3, dm3.fma(xma, fa3));
        }
        float[] four = Lanes.fourVectors();
        fa0.intoArray(four, 0);
        fa1.intoArray(four, GROUP);
        fa2.intoArray(four, 2 * GROUP);
        fa3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
    }
}
