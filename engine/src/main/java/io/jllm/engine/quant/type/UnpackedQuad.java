package io.jllm.engine.quant.type;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * One quad of rows over one column slice, unpacked once to 16-bit weights and float scales, so that prompt
 * prefill multiplies it with many activation vectors without unpacking a nibble again for each of them: per 32
 * products one load, one 16-bit multiply and one add are left, and each weight load serves four vectors. The
 * quad's slice (at most {@link InterleavedLayout#SLICE_COLUMNS} columns of four rows, 16 KB at 512 bits) stays
 * in L1. A kernel ({@link InterleavedLayout.UnpackingQuadKernel}) unpacks into it, then per group has
 * {@link #sumFour} compute the integer block sums and scales them into {@link #accumulators} itself.
 * <p>Weights, per group of the slice: for each of the group's 16 value-pair steps {@code j} (the order of
 * {@link Q8_0Activations}' quants), for each row {@code r}, one vector of shorts whose int lane {@code l} holds
 * values {@code 2j, 2j + 1} of block {@code l} of row {@code r}, less the type's offset (as its packed kernel
 * takes it out).
 */
final class UnpackedQuad {
    /** Shorts per group: four rows of {@code GROUP} blocks of 32 weights. */
    static final int GROUP_SHORTS = 4 * 32 * GROUP;
    /** Floats per group in {@link #scales}: eight vectors of lanes, whose meaning each kernel chooses. */
    static final int GROUP_SCALES = 8 * GROUP;
    private static final int SLICE_GROUPS = InterleavedLayout.SLICE_COLUMNS / Q8_0Activations.GROUP_COLUMNS;
    private static final ThreadLocal<UnpackedQuad> SCRATCH = ThreadLocal.withInitial(UnpackedQuad::new);

    /** The 16-bit weights, {@link #GROUP_SHORTS} per group. */
    final short[] weights = new short[SLICE_GROUPS * GROUP_SHORTS];
    /** Per group, {@link #GROUP_SCALES} floats: the block scales (and minimums) the kernel unpacked. */
    final float[] scales = new float[SLICE_GROUPS * GROUP_SCALES];
    /** {@link #sumFour}'s integer block sums of a group: vector {@code v}, row {@code r} at {@code (4v + r) GROUP}. */
    final int[] sums = new int[16 * GROUP];
    /** The float sums of the four vectors and four rows over the groups so far, laid out as {@link #sums}. */
    final float[] accumulators = new float[16 * GROUP];

    private UnpackedQuad() {
    }

    /** This thread's room for one unpacked quad slice. */
    static UnpackedQuad scratch() {
        return SCRATCH.get();
    }

    /**
     * Unpacks the four quant steps of a group at {@code quantsAt} in {@code data}, nibbles placed as
     * {@link Q4_0Interleaved#place} places them, into the weights of the slice's group {@code gi}, less
     * {@code offset}.
     */
    void unpackNibbles(MemorySegment data, long quantsAt, int gi, short offset) {
        int vector = SHORTS.length();
        long rowStep = 4L * GROUP;
        int at = gi * GROUP_SHORTS;
        for (int k = 0; k < 4; k++) {
            for (int r = 0; r < 4; r++) {
                IntVector w = IntVector.fromMemorySegment(INTS, data, quantsAt + (4 * k + r) * rowStep,
                        ByteOrder.LITTLE_ENDIAN);
                int step = at + (16 * k + r) * vector;
                w.and(0x000F000F).reinterpretAsShorts().sub(offset).intoArray(weights, step);
                w.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts().sub(offset)
                        .intoArray(weights, step + 4 * vector);
                w.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts().sub(offset)
                        .intoArray(weights, step + 8 * vector);
                w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12).sub(offset)
                        .intoArray(weights, step + 12 * vector);
            }
        }
    }

    /**
     * Writes the four rows' {@link InterleavedLayout#GROUP} fp16 values at {@code at} in {@code data} (row after
     * row, {@code 2 GROUP} bytes each: a group's scales or minimums) as floats into the slice's group {@code gi}
     * scale vectors {@code vector .. vector + 3}, converted as the kernels convert them. Nothing vector-typed
     * crosses this call, so it costs nothing when not inlined.
     */
    void unpackHalves(MemorySegment data, long at, int gi, int vector) {
        for (int r = 0; r < 4; r++) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(SCALES, data, at + r * 2L * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h.and(0x8000_0000)).reinterpretAsFloats()
                    .intoArray(scales, gi * GROUP_SCALES + (vector + r) * GROUP);
        }
    }

    /**
     * The integer sums {@code sum(w * x_q)} over value-pair steps {@code [from, to)} of each block of the
     * slice's group {@code gi} (the matrix's group {@code g}) of the four rows with vectors {@code n .. n + 3} of
     * {@code quants}, into {@link #sums}. A 16-bit lane sums one product per step: the weights must keep
     * {@code (to - from) * max|w| * 127} within 16 bits.
     */
    void sumFour(short[][] quants, int n, int g, int gi, int from, int to) {
        int lanes2 = 2 * GROUP;
        int rowStep = SHORTS.length();
        short[] qa = quants[n];
        short[] qb = quants[n + 1];
        short[] qc = quants[n + 2];
        short[] qd = quants[n + 3];
        ShortVector ca0 = ShortVector.zero(SHORTS);
        ShortVector ca1 = ShortVector.zero(SHORTS);
        ShortVector ca2 = ShortVector.zero(SHORTS);
        ShortVector ca3 = ShortVector.zero(SHORTS);
        ShortVector cb0 = ShortVector.zero(SHORTS);
        ShortVector cb1 = ShortVector.zero(SHORTS);
        ShortVector cb2 = ShortVector.zero(SHORTS);
        ShortVector cb3 = ShortVector.zero(SHORTS);
        ShortVector cc0 = ShortVector.zero(SHORTS);
        ShortVector cc1 = ShortVector.zero(SHORTS);
        ShortVector cc2 = ShortVector.zero(SHORTS);
        ShortVector cc3 = ShortVector.zero(SHORTS);
        ShortVector cd0 = ShortVector.zero(SHORTS);
        ShortVector cd1 = ShortVector.zero(SHORTS);
        ShortVector cd2 = ShortVector.zero(SHORTS);
        ShortVector cd3 = ShortVector.zero(SHORTS);
        int w = gi * GROUP_SHORTS + from * 4 * rowStep;
        int ab = g * Q8_0Activations.GROUP_COLUMNS;
        for (int j = from; j < to; j++, w += 4 * rowStep) {
            ShortVector w0 = ShortVector.fromArray(SHORTS, weights, w);
            ShortVector w1 = ShortVector.fromArray(SHORTS, weights, w + rowStep);
            ShortVector w2 = ShortVector.fromArray(SHORTS, weights, w + 2 * rowStep);
            ShortVector w3 = ShortVector.fromArray(SHORTS, weights, w + 3 * rowStep);
            ShortVector xa = ShortVector.fromArray(SHORTS, qa, ab + j * lanes2);
            ca0 = ca0.add(w0.mul(xa));
            ca1 = ca1.add(w1.mul(xa));
            ca2 = ca2.add(w2.mul(xa));
            ca3 = ca3.add(w3.mul(xa));
            ShortVector xb = ShortVector.fromArray(SHORTS, qb, ab + j * lanes2);
            cb0 = cb0.add(w0.mul(xb));
            cb1 = cb1.add(w1.mul(xb));
            cb2 = cb2.add(w2.mul(xb));
            cb3 = cb3.add(w3.mul(xb));
            ShortVector xc = ShortVector.fromArray(SHORTS, qc, ab + j * lanes2);
            cc0 = cc0.add(w0.mul(xc));
            cc1 = cc1.add(w1.mul(xc));
            cc2 = cc2.add(w2.mul(xc));
            cc3 = cc3.add(w3.mul(xc));
            ShortVector xd = ShortVector.fromArray(SHORTS, qd, ab + j * lanes2);
            cd0 = cd0.add(w0.mul(xd));
            cd1 = cd1.add(w1.mul(xd));
            cd2 = cd2.add(w2.mul(xd));
            cd3 = cd3.add(w3.mul(xd));
        }
        // a lane's two 16-bit sums, each sign-extended, added
        IntVector ia0 = ca0.reinterpretAsInts();
        ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia0.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 0);
        IntVector ia1 = ca1.reinterpretAsInts();
        ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia1.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, GROUP);
        IntVector ia2 = ca2.reinterpretAsInts();
        ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia2.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 2 * GROUP);
        IntVector ia3 = ca3.reinterpretAsInts();
        ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ia3.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 3 * GROUP);
        IntVector ib0 = cb0.reinterpretAsInts();
        ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib0.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 4 * GROUP);
        IntVector ib1 = cb1.reinterpretAsInts();
        ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib1.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 5 * GROUP);
        IntVector ib2 = cb2.reinterpretAsInts();
        ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib2.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 6 * GROUP);
        IntVector ib3 = cb3.reinterpretAsInts();
        ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ib3.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 7 * GROUP);
        IntVector ic0 = cc0.reinterpretAsInts();
        ic0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ic0.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 8 * GROUP);
        IntVector ic1 = cc1.reinterpretAsInts();
        ic1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ic1.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 9 * GROUP);
        IntVector ic2 = cc2.reinterpretAsInts();
        ic2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ic2.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 10 * GROUP);
        IntVector ic3 = cc3.reinterpretAsInts();
        ic3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(ic3.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 11 * GROUP);
        IntVector id0 = cd0.reinterpretAsInts();
        id0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(id0.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 12 * GROUP);
        IntVector id1 = cd1.reinterpretAsInts();
        id1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(id1.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 13 * GROUP);
        IntVector id2 = cd2.reinterpretAsInts();
        id2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(id2.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 14 * GROUP);
        IntVector id3 = cd3.reinterpretAsInts();
        id3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(id3.lanewise(VectorOperators.ASHR, 16)).intoArray(sums, 15 * GROUP);
    }
}
