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
import java.util.Arrays;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * A Q6_K matrix repacked for integer products with {@link Q8_KInterleavedActivations}. Each 32 weights of a
 * super-block (two of its 16-weight scale blocks) are a block of the {@link InterleavedLayout} (one int lane). A
 * group stores, for its 4 rows x {@link InterleavedLayout#GROUP} lanes in turn: the float {@code d} of each
 * super-block the row's lanes belong to; the lane's two 8-bit scales; the low nibbles of its 6-bit quants, placed as
 * {@link Q4_KInterleaved} places a sub-block's (four steps of 8 weights, even weights in bits 0-15, odd ones in bits
 * 16-31); then their 2-bit high parts, one int per 16 weights (weight {@code 16 h + 2 t} at bits {@code 2t, 2t + 1},
 * the odd one 16 bits up). That is 26.5 bytes per 32 weights (27 with 128-bit vectors, whose groups hold half a
 * super-block) against Q6_K's 26.25 (whole signed bytes per quant took 40: decoding streams the weights from memory,
 * so bytes cost more than the shifts that put a quant together). The kernel rebuilds each quant less its offset of 32
 * in a 16-bit lane; a product of such a quant (-32..31) and a Q8_K quant is at most 4064 in magnitude, so a lane sums
 * a whole scale block (8 steps, 32512 at most) before it is widened and scaled by {@code d scale} (exact in a float):
 * llama.cpp's integer sums, exactly; it adds a super-block's 16 scaled sums in integers before the float scale, here
 * they are added in float, which differs by rounding only. The one-vector loop is written out in full (see
 * {@link Q4_0Interleaved}); the two-vector one works a half group per call (see {@link #pair}).
 */
final class Q6_KInterleaved
        extends InterleavedMatrix implements InterleavedLayout.UnpackingQuadKernel<Q8_KInterleavedActivations> {
    private static final int BLOCK_BYTES = 210;
    /**
     * Bytes per row at the head of a group: the float {@code d} of each of the row's super-blocks there
     * ({@code GROUP / 8} of them), or of the one whose half the group holds (128-bit vectors, 4 lanes).
     */
    private static final int FLOATS_ROW_BYTES = Math.max(4, GROUP / 2);
    /** Then per lane and row its two scales, 16 bytes of low nibbles, and 8 of high parts. */
    private static final long SCALES_AT = 4L * FLOATS_ROW_BYTES;
    private static final long LOW_AT = SCALES_AT + 8L * GROUP;
    private static final long HIGH_AT = LOW_AT + 64L * GROUP;
    private static final long GROUP_BYTES = HIGH_AT + 32L * GROUP;
    /** For each lane, the float index (in its row's head) of its super-block's {@code d}. */
    private static final VectorShuffle<Float> SUPER_D = VectorShuffle.fromOp(FLOATS, l -> l / 8);
    /** Where a workspace keeps {@link #pair}'s float sums, after one group's {@link #groupScales}. */
    private static final int SUMS_AT = 8 * GROUP;
    /** Per worker thread: one group's {@link #groupScales}, then {@link #pair}'s sums. */
    private static final ThreadLocal<float[]> WORKSPACE = ThreadLocal.withInitial(() -> new float[16 * GROUP]);
    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);


    private Q6_KInterleaved(InterleavedLayout layout) {
        super(layout);
    }

    /** Repacks {@code rows} GGUF rows of {@code columns} weights (210-byte super-blocks) stored in {@code src}. */
    static Repacker repacker(MemorySegment src, int columns, int rows) {
        return new InterleavedRepacker(src, columns, rows, Math.multiplyExact(columns / 256, BLOCK_BYTES), GROUP_BYTES,
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
        int[] q = new int[32];
        for (int l = 0; l < 32; l++) {
            q[l] = (src[ql + l] & 0xFF) >> nibbleShift & 0x0F | ((src[qh + l] & 0xFF) >> 2 * t & 3) << 4;
        }
        if (lane % 8 == 0) {
            FLOAT_LE.set(group, row * FLOATS_ROW_BYTES + lane / 8 * 4,
                    Float.float16ToFloat((short) SHORT_LE.get(src, from + 208)));
        }
        int slot = 2 * (row * GROUP + lane);
        group[(int) SCALES_AT + slot] = src[from + 192 + 8 * half + 2 * t];
        group[(int) SCALES_AT + slot + 1] = src[from + 192 + 8 * half + 2 * t + 1];
        for (int k = 0; k < 4; k++) {
            int low = 0;
            for (int s = 0; s < 4; s++) {
                low |= (q[8 * k + 2 * s] & 0x0F) << 4 * s | (q[8 * k + 2 * s + 1] & 0x0F) << 16 + 4 * s;
            }
            INT_LE.set(group, (int) LOW_AT + k * 16 * GROUP + 2 * slot, low);
        }
        for (int h = 0; h < 2; h++) {
            int high = 0;
            for (int i = 0; i < 8; i++) {
                high |= (q[16 * h + 2 * i] >> 4) << 2 * i | (q[16 * h + 2 * i + 1] >> 4) << 16 + 2 * i;
            }
            INT_LE.set(group, (int) HIGH_AT + h * 16 * GROUP + 2 * slot, high);
        }
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
     * The group at {@code o}'s products {@code d scale} for the first (row {@code i} at
     * {@code into[at + i GROUP ..]}) and second scale block of each lane (at {@code into[at + (4 + i) GROUP ..]}):
     * each lane's super-block {@code d} moved to it by a lane permute, times its signed scale bytes. Its own method
     * (see {@link Q4_KInterleaved}).
     */
    private void groupScales(long o, float[] into, int at) {
        for (int i = 0; i < 4; i++) {
            FloatVector d = FloatVector.fromMemorySegment(FLOATS, data, o + (long) i * FLOATS_ROW_BYTES,
                    ByteOrder.LITTLE_ENDIAN).rearrange(SUPER_D);
            IntVector m = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + SCALES_AT + 2L * i * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            d.mul((FloatVector) m.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24)
                    .convert(VectorOperators.I2F, 0)).intoArray(into, at + i * GROUP);
            d.mul((FloatVector) m.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0))
                    .intoArray(into, at + (4 + i) * GROUP);
        }
    }

    /** Unpacks the quants, less 32, and the products {@code d scale} ({@link #groupScales}). */
    @Override
    public void unpack(long base, int first, int last, UnpackedQuad into) {
        short[] weights = into.weights;
        int vector = SHORTS.length();
        long rowStep = 4L * GROUP;
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            int gi = g - first;
            for (int k = 0; k < 4; k++) {
                for (int r = 0; r < 4; r++) {
                    IntVector w = IntVector.fromMemorySegment(INTS, data, o + LOW_AT + (4 * k + r) * rowStep,
                            ByteOrder.LITTLE_ENDIAN);
                    // the high parts of step 4 k + s move to bits 4-5 (and 20-21) once shifted right by 2 s
                    IntVector u = IntVector.fromMemorySegment(INTS, data, o + HIGH_AT + (4 * (k / 2) + r) * rowStep,
                            ByteOrder.LITTLE_ENDIAN).lanewise(VectorOperators.LSHR, 8 * (k % 2))
                            .lanewise(VectorOperators.LSHL, 4);
                    for (int st = 0; st < 4; st++) {
                        w.lanewise(VectorOperators.LSHR, 4 * st).and(0x000F000F)
                                .or(u.lanewise(VectorOperators.LSHR, 2 * st).and(0x00300030))
                                .reinterpretAsShorts().sub((short) 32)
                                .intoArray(weights, gi * UnpackedQuad.GROUP_SHORTS + (16 * k + 4 * st + r) * vector);
                    }
                }
            }
            groupScales(o, into.scales, gi * UnpackedQuad.GROUP_SCALES);
        }
    }

    /**
     * Per scale block (half a lane) {@code d scale dx sum(q x_q)}, as {@link #pair} computes it, a half at a
     * time (a 16-bit lane holds 8 products of a 6-bit quant): the same integers and float operations, so the same
     * bits.
     */
    @Override
    public void fourGroup(Q8_KInterleavedActivations x, int n, int g, int gi, UnpackedQuad quadSlice) {
        int[] sums = quadSlice.sums;
        float[] acc = quadSlice.accumulators;
        float[] scales = quadSlice.scales;
        for (int h = 0; h < 2; h++) {
            quadSlice.sumFour(x.quants, n, g, gi, 8 * h, 8 * h + 8);
            int s = gi * UnpackedQuad.GROUP_SCALES + h * 4 * GROUP;
            FloatVector d0 = FloatVector.fromArray(FLOATS, scales, s);
            FloatVector d1 = FloatVector.fromArray(FLOATS, scales, s + GROUP);
            FloatVector d2 = FloatVector.fromArray(FLOATS, scales, s + 2 * GROUP);
            FloatVector d3 = FloatVector.fromArray(FLOATS, scales, s + 3 * GROUP);
            for (int v = 0; v < 4; v++) {
                FloatVector xd = FloatVector.fromArray(FLOATS, x.scales[n + v], g * GROUP);
                int at = 4 * v * GROUP;
                ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                        .fma(d0, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
                at += GROUP;
                ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                        .fma(d1, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
                at += GROUP;
                ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                        .fma(d2, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
                at += GROUP;
                ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0)).mul(xd)
                        .fma(d3, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
            }
        }
    }

    /**
     * Vectors {@code n} and {@code n + 1} times one quad over groups {@code [first, last)}, each quant put
     * together once for both (small batches; larger ones go through {@link UnpackedQuad}). The float sums live
     * in the worker's workspace, so that each half of a group is one call of {@link #pairHalf}: written out in
     * one method, the kernel is too large for C1, which then never profiles it for C2.
     */
    @Override
    public void pair(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                     int quad, int rowStart, int rowEnd) {
        float[] work = WORKSPACE.get();
        Arrays.fill(work, SUMS_AT, SUMS_AT + 8 * GROUP, 0f);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            groupScales(o, work, 0);
            pairHalf(x, n, o, g, 0, work);
            pairHalf(x, n, o, g, 1, work);
        }
        Q4_0Interleaved.storeSums(work, SUMS_AT, out[n], quad * 4, rowStart, rowEnd, first > 0);
        Q4_0Interleaved.storeSums(work, SUMS_AT + 4 * GROUP, out[n + 1], quad * 4, rowStart, rowEnd, first > 0);
    }

    /**
     * Adds half {@code h} (one scale block per lane) of group {@code g} at {@code o}, times vectors {@code n} and
     * {@code n + 1}, to the workspace's float sums (row {@code i} of vector {@code n + v} at
     * {@code SUMS_AT + (4 v + i) GROUP}).
     */
    private void pairHalf(Q8_KInterleavedActivations x, int n, long o, int g, int h, float[] work) {
        int lanes2 = 2 * GROUP;
        long rowStep = 4L * GROUP;
        short[] qa = x.quants[n];
        short[] qb = x.quants[n + 1];
        int ab = g * Q8_0Activations.GROUP_COLUMNS;
        ShortVector ca0 = ShortVector.zero(SHORTS);
        ShortVector ca1 = ShortVector.zero(SHORTS);
        ShortVector ca2 = ShortVector.zero(SHORTS);
        ShortVector ca3 = ShortVector.zero(SHORTS);
        ShortVector cb0 = ShortVector.zero(SHORTS);
        ShortVector cb1 = ShortVector.zero(SHORTS);
        ShortVector cb2 = ShortVector.zero(SHORTS);
        ShortVector cb3 = ShortVector.zero(SHORTS);
        long ho = o + HIGH_AT + h * 4 * rowStep;
        IntVector h0 = IntVector.fromMemorySegment(INTS, data, ho, ByteOrder.LITTLE_ENDIAN);
        IntVector h1 = IntVector.fromMemorySegment(INTS, data, ho + rowStep, ByteOrder.LITTLE_ENDIAN);
        IntVector h2 = IntVector.fromMemorySegment(INTS, data, ho + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
        IntVector h3 = IntVector.fromMemorySegment(INTS, data, ho + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
        for (int kk = 0; kk < 2; kk++) {
            int k = 2 * h + kk;
            long wo = o + LOW_AT + k * 4 * rowStep;
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
            IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
            IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
            IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
            // the high parts of step 4 kk + s move to bits 4-5 (and 20-21) once shifted right by 2 s
            IntVector u0 = h0.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
            IntVector u1 = h1.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
            IntVector u2 = h2.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
            IntVector u3 = h3.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
            for (int st = 0; st < 4; st++) {
                int ak = ab + (4 * k + st) * lanes2;
                ShortVector xa = ShortVector.fromArray(SHORTS, qa, ak);
                ShortVector xb = ShortVector.fromArray(SHORTS, qb, ak);
                ShortVector q0 = w0.lanewise(VectorOperators.LSHR, 4 * st).and(0x000F000F)
                        .or(u0.lanewise(VectorOperators.LSHR, 2 * st).and(0x00300030))
                        .reinterpretAsShorts().sub((short) 32);
                ShortVector q1 = w1.lanewise(VectorOperators.LSHR, 4 * st).and(0x000F000F)
                        .or(u1.lanewise(VectorOperators.LSHR, 2 * st).and(0x00300030))
                        .reinterpretAsShorts().sub((short) 32);
                ShortVector q2 = w2.lanewise(VectorOperators.LSHR, 4 * st).and(0x000F000F)
                        .or(u2.lanewise(VectorOperators.LSHR, 2 * st).and(0x00300030))
                        .reinterpretAsShorts().sub((short) 32);
                ShortVector q3 = w3.lanewise(VectorOperators.LSHR, 4 * st).and(0x000F000F)
                        .or(u3.lanewise(VectorOperators.LSHR, 2 * st).and(0x00300030))
                        .reinterpretAsShorts().sub((short) 32);
                ca0 = ca0.add(q0.mul(xa));
                ca1 = ca1.add(q1.mul(xa));
                ca2 = ca2.add(q2.mul(xa));
                ca3 = ca3.add(q3.mul(xa));
                cb0 = cb0.add(q0.mul(xb));
                cb1 = cb1.add(q1.mul(xb));
                cb2 = cb2.add(q2.mul(xb));
                cb3 = cb3.add(q3.mul(xb));
            }
        }
        FloatVector xda = FloatVector.fromArray(FLOATS, x.scales[n], g * GROUP);
        FloatVector xdb = FloatVector.fromArray(FLOATS, x.scales[n + 1], g * GROUP);
        int so = h * 4 * GROUP;
        FloatVector d0 = FloatVector.fromArray(FLOATS, work, so);
        IntVector ia0 = ca0.reinterpretAsInts();
        ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                .fma(d0, FloatVector.fromArray(FLOATS, work, SUMS_AT)).intoArray(work, SUMS_AT);
        IntVector ib0 = cb0.reinterpretAsInts();
        ((FloatVector) ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                .fma(d0, FloatVector.fromArray(FLOATS, work, SUMS_AT + 4 * GROUP)).intoArray(work, SUMS_AT + 4 * GROUP);
        FloatVector d1 = FloatVector.fromArray(FLOATS, work, so + GROUP);
        IntVector ia1 = ca1.reinterpretAsInts();
        ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                .fma(d1, FloatVector.fromArray(FLOATS, work, SUMS_AT + GROUP)).intoArray(work, SUMS_AT + GROUP);
        IntVector ib1 = cb1.reinterpretAsInts();
        ((FloatVector) ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                .fma(d1, FloatVector.fromArray(FLOATS, work, SUMS_AT + 5 * GROUP)).intoArray(work, SUMS_AT + 5 * GROUP);
        FloatVector d2 = FloatVector.fromArray(FLOATS, work, so + 2 * GROUP);
        IntVector ia2 = ca2.reinterpretAsInts();
        ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                .fma(d2, FloatVector.fromArray(FLOATS, work, SUMS_AT + 2 * GROUP)).intoArray(work, SUMS_AT + 2 * GROUP);
        IntVector ib2 = cb2.reinterpretAsInts();
        ((FloatVector) ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                .fma(d2, FloatVector.fromArray(FLOATS, work, SUMS_AT + 6 * GROUP)).intoArray(work, SUMS_AT + 6 * GROUP);
        FloatVector d3 = FloatVector.fromArray(FLOATS, work, so + 3 * GROUP);
        IntVector ia3 = ca3.reinterpretAsInts();
        ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                .fma(d3, FloatVector.fromArray(FLOATS, work, SUMS_AT + 3 * GROUP)).intoArray(work, SUMS_AT + 3 * GROUP);
        IntVector ib3 = cb3.reinterpretAsInts();
        ((FloatVector) ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xdb)
                .fma(d3, FloatVector.fromArray(FLOATS, work, SUMS_AT + 7 * GROUP)).intoArray(work, SUMS_AT + 7 * GROUP);
    }

    /** Vector {@code n} times one quad over groups {@code [first, last)}. */
    @Override
    public void single(Q8_KInterleavedActivations x, int n, long base, int first, int last, float[][] out,
                       int quad, int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 4L * GROUP;
        float[] scales = WORKSPACE.get();
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            groupScales(o, scales, 0);
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            for (int h = 0; h < 2; h++) {
                ShortVector ca0 = ShortVector.zero(SHORTS);
                ShortVector ca1 = ShortVector.zero(SHORTS);
                ShortVector ca2 = ShortVector.zero(SHORTS);
                ShortVector ca3 = ShortVector.zero(SHORTS);
                long ho = o + HIGH_AT + h * 4 * rowStep;
                IntVector h0 = IntVector.fromMemorySegment(INTS, data, ho, ByteOrder.LITTLE_ENDIAN);
                IntVector h1 = IntVector.fromMemorySegment(INTS, data, ho + rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector h2 = IntVector.fromMemorySegment(INTS, data, ho + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector h3 = IntVector.fromMemorySegment(INTS, data, ho + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                for (int kk = 0; kk < 2; kk++) {
                    int k = 2 * h + kk;
                    long wo = o + LOW_AT + k * 4 * rowStep;
                    IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
                    IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
                    IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                    IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                    // the high parts of step 4 kk + s move to bits 4-5 (and 20-21) once shifted right by 2 s
                    IntVector u0 = h0.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
                    IntVector u1 = h1.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
                    IntVector u2 = h2.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
                    IntVector u3 = h3.lanewise(VectorOperators.LSHR, 8 * kk).lanewise(VectorOperators.LSHL, 4);
                    int ak = ab + 4 * k * lanes2;
                    ShortVector xa0 = ShortVector.fromArray(SHORTS, qa, ak);
                    ShortVector q00 = w0.and(0x000F000F).or(u0.and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q01 = w1.and(0x000F000F).or(u1.and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q02 = w2.and(0x000F000F).or(u2.and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q03 = w3.and(0x000F000F).or(u3.and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ca0 = ca0.add(q00.mul(xa0));
                    ca1 = ca1.add(q01.mul(xa0));
                    ca2 = ca2.add(q02.mul(xa0));
                    ca3 = ca3.add(q03.mul(xa0));
                    ShortVector xa1 = ShortVector.fromArray(SHORTS, qa, ak + lanes2);
                    ShortVector q10 = w0.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                            .or(u0.lanewise(VectorOperators.LSHR, 2).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q11 = w1.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                            .or(u1.lanewise(VectorOperators.LSHR, 2).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q12 = w2.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                            .or(u2.lanewise(VectorOperators.LSHR, 2).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q13 = w3.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                            .or(u3.lanewise(VectorOperators.LSHR, 2).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ca0 = ca0.add(q10.mul(xa1));
                    ca1 = ca1.add(q11.mul(xa1));
                    ca2 = ca2.add(q12.mul(xa1));
                    ca3 = ca3.add(q13.mul(xa1));
                    ShortVector xa2 = ShortVector.fromArray(SHORTS, qa, ak + 2 * lanes2);
                    ShortVector q20 = w0.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                            .or(u0.lanewise(VectorOperators.LSHR, 4).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q21 = w1.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                            .or(u1.lanewise(VectorOperators.LSHR, 4).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q22 = w2.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                            .or(u2.lanewise(VectorOperators.LSHR, 4).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q23 = w3.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                            .or(u3.lanewise(VectorOperators.LSHR, 4).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ca0 = ca0.add(q20.mul(xa2));
                    ca1 = ca1.add(q21.mul(xa2));
                    ca2 = ca2.add(q22.mul(xa2));
                    ca3 = ca3.add(q23.mul(xa2));
                    ShortVector xa3 = ShortVector.fromArray(SHORTS, qa, ak + 3 * lanes2);
                    ShortVector q30 = w0.lanewise(VectorOperators.LSHR, 12).and(0x000F000F)
                            .or(u0.lanewise(VectorOperators.LSHR, 6).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q31 = w1.lanewise(VectorOperators.LSHR, 12).and(0x000F000F)
                            .or(u1.lanewise(VectorOperators.LSHR, 6).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q32 = w2.lanewise(VectorOperators.LSHR, 12).and(0x000F000F)
                            .or(u2.lanewise(VectorOperators.LSHR, 6).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ShortVector q33 = w3.lanewise(VectorOperators.LSHR, 12).and(0x000F000F)
                            .or(u3.lanewise(VectorOperators.LSHR, 6).and(0x00300030))
                            .reinterpretAsShorts().sub((short) 32);
                    ca0 = ca0.add(q30.mul(xa3));
                    ca1 = ca1.add(q31.mul(xa3));
                    ca2 = ca2.add(q32.mul(xa3));
                    ca3 = ca3.add(q33.mul(xa3));
                }
                int so = h * 4 * GROUP;
                FloatVector d0 = FloatVector.fromArray(FLOATS, scales, so);
                IntVector ia0 = ca0.reinterpretAsInts();
                fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d0, fa0);
                FloatVector d1 = FloatVector.fromArray(FLOATS, scales, so + 1 * GROUP);
                IntVector ia1 = ca1.reinterpretAsInts();
                fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d1, fa1);
                FloatVector d2 = FloatVector.fromArray(FLOATS, scales, so + 2 * GROUP);
                IntVector ia2 = ca2.reinterpretAsInts();
                fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d2, fa2);
                FloatVector d3 = FloatVector.fromArray(FLOATS, scales, so + 3 * GROUP);
                IntVector ia3 = ca3.reinterpretAsInts();
                fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0)).mul(xda)
                        .fma(d3, fa3);
            }
        }
        float[] four = Lanes.fourVectors();
        fa0.intoArray(four, 0);
        fa1.intoArray(four, GROUP);
        fa2.intoArray(four, 2 * GROUP);
        fa3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
    }
}
