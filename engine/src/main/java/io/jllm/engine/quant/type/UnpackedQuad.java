package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * One quad of rows over one column slice, unpacked once to 16-bit weights (offset already taken out) and float
 * block scales, so that prompt prefill multiplies it with many activation vectors without unpacking a nibble
 * again for each pair of them: per 32 products one load, one 16-bit multiply and one add are left. The quad's
 * slice (at most {@link InterleavedLayout#SLICE_COLUMNS} columns of four rows, 16 KB at 512 bits) stays in L1.
 * <p>Layout, per group of the slice: for each of the group's 16 value-pair steps {@code j} (the order of
 * {@link Q8_0Activations}' quants), for each row {@code r}, one vector of shorts whose int lane {@code l} holds
 * values {@code 2j, 2j + 1} of block {@code l} of row {@code r}; then, after all groups' weights, each group's
 * four rows of {@link InterleavedLayout#GROUP} block scales.
 */
final class UnpackedQuad {
    /** Shorts per group: four rows of {@code GROUP} blocks of 32 weights. */
    static final int GROUP_SHORTS = 4 * 32 * GROUP;
    private static final int SLICE_GROUPS = InterleavedLayout.SLICE_COLUMNS / Q8_0Activations.GROUP_COLUMNS;
    private static final ThreadLocal<UnpackedQuad> SCRATCH = ThreadLocal.withInitial(UnpackedQuad::new);

    /** The 16-bit weights, {@link #GROUP_SHORTS} per group. */
    final short[] weights = new short[SLICE_GROUPS * GROUP_SHORTS];
    /** Per group, row by row, the {@code GROUP} block scales {@code d_w}. */
    final float[] scales = new float[SLICE_GROUPS * 4 * GROUP];
    /** {@link #four}'s float sums: for each of its vectors, four rows of {@code GROUP} lanes. */
    private final float[] sums = new float[16 * GROUP];

    private UnpackedQuad() {
    }

    /** This thread's room for one unpacked quad slice. */
    static UnpackedQuad scratch() {
        return SCRATCH.get();
    }

    /**
     * Vectors {@code n .. n + 3} of {@code x} times the unpacked quad, groups {@code [first, last)} of the matrix
     * (the slice this quad was unpacked from), stored (added after the first slice) as
     * {@link Q4_0Interleaved#storeSums} does. Per block {@code d_w * d_x * sum(w * x_q)}: the integer sums of the
     * packed kernels (for weights stored without Q4_0's offset of 8, which unpacking took out, {@code eights} puts
     * back each block's {@code 8 sum(x_q)}, {@link Q8_0Activations#sums8}) and their float
     * operations, so the same bits. Each weight load serves four vectors (16 accumulators); the float sums wait
     * in {@link #sums} between groups.
     */
    void four(Q8_0Activations x, boolean eights, int n, int first, int last, float[][] out, int quad,
              int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        int rowStep = SHORTS.length();
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        int[] ea = eights ? x.sums8[n] : x.noOffsets;
        short[] qb = x.quants[n + 1];
        float[] sb = x.scales[n + 1];
        int[] eb = eights ? x.sums8[n + 1] : x.noOffsets;
        short[] qc = x.quants[n + 2];
        float[] sc = x.scales[n + 2];
        int[] ec = eights ? x.sums8[n + 2] : x.noOffsets;
        short[] qd = x.quants[n + 3];
        float[] sd = x.scales[n + 3];
        int[] ed = eights ? x.sums8[n + 3] : x.noOffsets;
        float[] acc = sums;
        Arrays.fill(acc, 0f);
        for (int g = first; g < last; g++) {
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
            int w = (g - first) * GROUP_SHORTS;
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            for (int j = 0; j < 16; j++, w += 4 * rowStep) {
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
            int s = (g - first) * 4 * GROUP;
            FloatVector d0 = FloatVector.fromArray(FLOATS, scales, s);
            FloatVector d1 = FloatVector.fromArray(FLOATS, scales, s + GROUP);
            FloatVector d2 = FloatVector.fromArray(FLOATS, scales, s + 2 * GROUP);
            FloatVector d3 = FloatVector.fromArray(FLOATS, scales, s + 3 * GROUP);
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector oa = IntVector.fromArray(INTS, ea, g * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            ((FloatVector) ia0.add(ia0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oa).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d0, FloatVector.fromArray(FLOATS, acc, 0)).intoArray(acc, 0);
            IntVector ia1 = ca1.reinterpretAsInts();
            ((FloatVector) ia1.add(ia1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oa).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d1, FloatVector.fromArray(FLOATS, acc, GROUP)).intoArray(acc, GROUP);
            IntVector ia2 = ca2.reinterpretAsInts();
            ((FloatVector) ia2.add(ia2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oa).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d2, FloatVector.fromArray(FLOATS, acc, 2 * GROUP)).intoArray(acc, 2 * GROUP);
            IntVector ia3 = ca3.reinterpretAsInts();
            ((FloatVector) ia3.add(ia3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oa).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d3, FloatVector.fromArray(FLOATS, acc, 3 * GROUP)).intoArray(acc, 3 * GROUP);
            FloatVector xdb = FloatVector.fromArray(FLOATS, sb, g * GROUP);
            IntVector ob = IntVector.fromArray(INTS, eb, g * GROUP);
            IntVector ib0 = cb0.reinterpretAsInts();
            ((FloatVector) ib0.add(ib0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(ob).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d0, FloatVector.fromArray(FLOATS, acc, 4 * GROUP)).intoArray(acc, 4 * GROUP);
            IntVector ib1 = cb1.reinterpretAsInts();
            ((FloatVector) ib1.add(ib1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(ob).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d1, FloatVector.fromArray(FLOATS, acc, 5 * GROUP)).intoArray(acc, 5 * GROUP);
            IntVector ib2 = cb2.reinterpretAsInts();
            ((FloatVector) ib2.add(ib2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(ob).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d2, FloatVector.fromArray(FLOATS, acc, 6 * GROUP)).intoArray(acc, 6 * GROUP);
            IntVector ib3 = cb3.reinterpretAsInts();
            ((FloatVector) ib3.add(ib3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(ob).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d3, FloatVector.fromArray(FLOATS, acc, 7 * GROUP)).intoArray(acc, 7 * GROUP);
            FloatVector xdc = FloatVector.fromArray(FLOATS, sc, g * GROUP);
            IntVector oc = IntVector.fromArray(INTS, ec, g * GROUP);
            IntVector ic0 = cc0.reinterpretAsInts();
            ((FloatVector) ic0.add(ic0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oc).convert(VectorOperators.I2F, 0))
                    .mul(xdc).fma(d0, FloatVector.fromArray(FLOATS, acc, 8 * GROUP)).intoArray(acc, 8 * GROUP);
            IntVector ic1 = cc1.reinterpretAsInts();
            ((FloatVector) ic1.add(ic1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oc).convert(VectorOperators.I2F, 0))
                    .mul(xdc).fma(d1, FloatVector.fromArray(FLOATS, acc, 9 * GROUP)).intoArray(acc, 9 * GROUP);
            IntVector ic2 = cc2.reinterpretAsInts();
            ((FloatVector) ic2.add(ic2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oc).convert(VectorOperators.I2F, 0))
                    .mul(xdc).fma(d2, FloatVector.fromArray(FLOATS, acc, 10 * GROUP)).intoArray(acc, 10 * GROUP);
            IntVector ic3 = cc3.reinterpretAsInts();
            ((FloatVector) ic3.add(ic3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(oc).convert(VectorOperators.I2F, 0))
                    .mul(xdc).fma(d3, FloatVector.fromArray(FLOATS, acc, 11 * GROUP)).intoArray(acc, 11 * GROUP);
            FloatVector xdd = FloatVector.fromArray(FLOATS, sd, g * GROUP);
            IntVector od = IntVector.fromArray(INTS, ed, g * GROUP);
            IntVector id0 = cd0.reinterpretAsInts();
            ((FloatVector) id0.add(id0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(od).convert(VectorOperators.I2F, 0))
                    .mul(xdd).fma(d0, FloatVector.fromArray(FLOATS, acc, 12 * GROUP)).intoArray(acc, 12 * GROUP);
            IntVector id1 = cd1.reinterpretAsInts();
            ((FloatVector) id1.add(id1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(od).convert(VectorOperators.I2F, 0))
                    .mul(xdd).fma(d1, FloatVector.fromArray(FLOATS, acc, 13 * GROUP)).intoArray(acc, 13 * GROUP);
            IntVector id2 = cd2.reinterpretAsInts();
            ((FloatVector) id2.add(id2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(od).convert(VectorOperators.I2F, 0))
                    .mul(xdd).fma(d2, FloatVector.fromArray(FLOATS, acc, 14 * GROUP)).intoArray(acc, 14 * GROUP);
            IntVector id3 = cd3.reinterpretAsInts();
            ((FloatVector) id3.add(id3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16)
                    .add(od).convert(VectorOperators.I2F, 0))
                    .mul(xdd).fma(d3, FloatVector.fromArray(FLOATS, acc, 15 * GROUP)).intoArray(acc, 15 * GROUP);
        }
        Q4_0Interleaved.storeSums(acc, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
        Q4_0Interleaved.storeSums(acc, 4 * GROUP, out[n + 1], quad * 4, rowStart, rowEnd, first > 0);
        Q4_0Interleaved.storeSums(acc, 8 * GROUP, out[n + 2], quad * 4, rowStart, rowEnd, first > 0);
        Q4_0Interleaved.storeSums(acc, 12 * GROUP, out[n + 3], quad * 4, rowStart, rowEnd, first > 0);
    }
}
