package io.jllm.engine.quant.type;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;

/**
 * Products of a repacked matrix with many activation vectors (prompt prefill), computed in float FMAs with
 * llama.cpp's numerics. Integer quants are exact in float, and a block's 32 products of |w| <= 128 and
 * |x| <= 127 and all their partial sums stay below 2^24, so a float accumulator over one block holds exactly
 * the integer block sum llama.cpp scales by {@code d_w * d_x}. Each group of {@link #ROWS} rows (two quads) is
 * unpacked once into a float panel, one block per lane as in {@link InterleavedLayout}, and reused for every
 * vector; the microkernel holds 8 rows x {@link #TOKENS} vectors of block sums in registers, so each panel
 * load serves 3 vectors and each activation load 8 rows. Per block the sums are scaled into per-lane totals
 * kept in memory; each total is reduced across its lanes once, when the rows are done.
 * <p>Q8_0 uses it (its 8-bit products need widening per value pair in 16-bit lanes). For Q4_0 this kernel, and
 * one on a 16-bit panel of unpacked nibbles, measured no faster than {@link Q4_0Interleaved}'s own, whose
 * nibbles unpack in two operations per vector and are used for two vectors.
 */
final class PanelProduct {
    /** Vectors from which this beats the integer kernels, which unpack each block for at most 2 vectors. */
    static final int MIN_VECTORS = 8;
    /** Rows per panel: two quads. */
    static final int ROWS = 8;
    /** Vectors per microkernel call. */
    static final int TOKENS = 3;

    /** Writes a quad's quants of one group into a panel as floats. */
    interface Unpacker {
        /**
         * Puts weight {@code c} of the quad's row {@code i}, block {@code l} of the group at {@code group}, at
         * {@code panel[((c * ROWS) + row + i) * GROUP + l]}.
         */
        void unpack(long group, float[] panel, int row);
    }

    /** One worker's buffers; pooled so that products allocate nothing once every worker has one. */
    private static final class Workspace {
        final float[] panel = new float[32 * ROWS * GROUP];
        final float[] scales = new float[ROWS * GROUP];
        float[] totals = new float[0];
    }

    private static final AtomicReferenceArray<Workspace> POOL = new AtomicReferenceArray<>(64);

    private PanelProduct() {
    }

    /** {@code out[n][r] = dot(W[r], x[n])} for the rows {@code [rowStart, rowEnd)}. */
    static void multiply(Unpacker unpacker, InterleavedLayout layout, Q8_0Activations x, int rowStart, int rowEnd,
                         float[][] out) {
        Workspace w = claim();
        try {
            int vectors = x.vectors();
            int slots = Math.ceilDiv(vectors, TOKENS) * TOKENS;
            if (w.totals.length < slots * ROWS * GROUP) {
                w.totals = new float[slots * ROWS * GROUP];
            }
            float[] panel = w.panel;
            float[] scales = w.scales;
            float[] totals = w.totals;
            int quadEnd = Math.ceilDiv(rowEnd, 4);
            for (int quad = rowStart / 4; quad < quadEnd; quad += 2) {
                boolean pair = quad + 1 < quadEnd;
                Arrays.fill(totals, 0, slots * ROWS * GROUP, 0f);
                if (!pair) {
                    for (int c = 0; c < 32; c++) {
                        Arrays.fill(panel, (c * ROWS + 4) * GROUP, (c * ROWS + ROWS) * GROUP, 0f);
                    }
                    Arrays.fill(scales, 4 * GROUP, ROWS * GROUP, 0f);
                }
                for (int g = 0; g < layout.groups; g++) {
                    long group = layout.offset(quad, g);
                    unpacker.unpack(group, panel, 0);
                    scales(layout.data, group, scales, 0);
                    if (pair) {
                        long next = layout.offset(quad + 1, g);
                        unpacker.unpack(next, panel, 4);
                        scales(layout.data, next, scales, 4);
                    }
                    for (int t = 0; t < vectors; t += TOKENS) {
                        int t1 = Math.min(t + 1, vectors - 1);
                        int t2 = Math.min(t + 2, vectors - 1);
                        tile(panel, scales, x.values[t], x.values[t1], x.values[t2], x.scales[t], x.scales[t1],
                                x.scales[t2], g, totals, t * ROWS * GROUP);
                    }
                }
                store(totals, vectors, quad * 4, pair ? ROWS : 4, rowStart, rowEnd, out);
            }
        } finally {
            release(w);
        }
    }

    /** The fp16 scales of a quad's blocks in one group as floats, converted as in the integer kernels. */
    private static void scales(MemorySegment data, long group, float[] scales, int row) {
        for (int i = 0; i < 4; i++) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(SCALES, data, group + 2L * i * GROUP,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h.and(0x8000_0000)).reinterpretAsFloats()
                    .intoArray(scales, (row + i) * GROUP);
        }
    }

    /**
     * Adds to {@code totals[at + (j ROWS + r) GROUP ..]} the scaled block sums of panel row {@code r} with
     * vector {@code j} of the three {@code x0, x1, x2} (quants as floats, block scales {@code d0, d1, d2}), for
     * group {@code g}; each block sum times {@code d_w * d_x}, in llama.cpp's order.
     */
    private static void tile(float[] panel, float[] dw, float[] x0, float[] x1, float[] x2, float[] d0, float[] d1,
                             float[] d2, int g, float[] totals, int at) {
        int xa = g * Q8_0Activations.GROUP_COLUMNS;
        FloatVector a00 = FloatVector.zero(FLOATS);
        FloatVector a01 = FloatVector.zero(FLOATS);
        FloatVector a02 = FloatVector.zero(FLOATS);
        FloatVector a10 = FloatVector.zero(FLOATS);
        FloatVector a11 = FloatVector.zero(FLOATS);
        FloatVector a12 = FloatVector.zero(FLOATS);
        FloatVector a20 = FloatVector.zero(FLOATS);
        FloatVector a21 = FloatVector.zero(FLOATS);
        FloatVector a22 = FloatVector.zero(FLOATS);
        FloatVector a30 = FloatVector.zero(FLOATS);
        FloatVector a31 = FloatVector.zero(FLOATS);
        FloatVector a32 = FloatVector.zero(FLOATS);
        FloatVector a40 = FloatVector.zero(FLOATS);
        FloatVector a41 = FloatVector.zero(FLOATS);
        FloatVector a42 = FloatVector.zero(FLOATS);
        FloatVector a50 = FloatVector.zero(FLOATS);
        FloatVector a51 = FloatVector.zero(FLOATS);
        FloatVector a52 = FloatVector.zero(FLOATS);
        FloatVector a60 = FloatVector.zero(FLOATS);
        FloatVector a61 = FloatVector.zero(FLOATS);
        FloatVector a62 = FloatVector.zero(FLOATS);
        FloatVector a70 = FloatVector.zero(FLOATS);
        FloatVector a71 = FloatVector.zero(FLOATS);
        FloatVector a72 = FloatVector.zero(FLOATS);
        for (int c = 0; c < 32; c++) {
            int xc = xa + c * GROUP;
            FloatVector v0 = FloatVector.fromArray(FLOATS, x0, xc);
            FloatVector v1 = FloatVector.fromArray(FLOATS, x1, xc);
            FloatVector v2 = FloatVector.fromArray(FLOATS, x2, xc);
            int p = c * ROWS * GROUP;
            FloatVector w = FloatVector.fromArray(FLOATS, panel, p);
            a00 = w.fma(v0, a00);
            a01 = w.fma(v1, a01);
            a02 = w.fma(v2, a02);
            w = FloatVector.fromArray(FLOATS, panel, p + GROUP);
            a10 = w.fma(v0, a10);
            a11 = w.fma(v1, a11);
            a12 = w.fma(v2, a12);
            w = FloatVector.fromArray(FLOATS, panel, p + 2 * GROUP);
            a20 = w.fma(v0, a20);
            a21 = w.fma(v1, a21);
            a22 = w.fma(v2, a22);
            w = FloatVector.fromArray(FLOATS, panel, p + 3 * GROUP);
            a30 = w.fma(v0, a30);
            a31 = w.fma(v1, a31);
            a32 = w.fma(v2, a32);
            w = FloatVector.fromArray(FLOATS, panel, p + 4 * GROUP);
            a40 = w.fma(v0, a40);
            a41 = w.fma(v1, a41);
            a42 = w.fma(v2, a42);
            w = FloatVector.fromArray(FLOATS, panel, p + 5 * GROUP);
            a50 = w.fma(v0, a50);
            a51 = w.fma(v1, a51);
            a52 = w.fma(v2, a52);
            w = FloatVector.fromArray(FLOATS, panel, p + 6 * GROUP);
            a60 = w.fma(v0, a60);
            a61 = w.fma(v1, a61);
            a62 = w.fma(v2, a62);
            w = FloatVector.fromArray(FLOATS, panel, p + 7 * GROUP);
            a70 = w.fma(v0, a70);
            a71 = w.fma(v1, a71);
            a72 = w.fma(v2, a72);
        }
        int s = g * GROUP;
        FloatVector e0 = FloatVector.fromArray(FLOATS, d0, s);
        FloatVector e1 = FloatVector.fromArray(FLOATS, d1, s);
        FloatVector e2 = FloatVector.fromArray(FLOATS, d2, s);
        int t0 = at;
        int t1 = at + ROWS * GROUP;
        int t2 = at + 2 * ROWS * GROUP;
        FloatVector d = FloatVector.fromArray(FLOATS, dw, 0);
        a00.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0)).intoArray(totals, t0);
        a01.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1)).intoArray(totals, t1);
        a02.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2)).intoArray(totals, t2);
        d = FloatVector.fromArray(FLOATS, dw, GROUP);
        a10.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + GROUP)).intoArray(totals, t0 + GROUP);
        a11.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + GROUP)).intoArray(totals, t1 + GROUP);
        a12.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + GROUP)).intoArray(totals, t2 + GROUP);
        d = FloatVector.fromArray(FLOATS, dw, 2 * GROUP);
        a20.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + 2 * GROUP)).intoArray(totals, t0 + 2 * GROUP);
        a21.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + 2 * GROUP)).intoArray(totals, t1 + 2 * GROUP);
        a22.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + 2 * GROUP)).intoArray(totals, t2 + 2 * GROUP);
        d = FloatVector.fromArray(FLOATS, dw, 3 * GROUP);
        a30.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + 3 * GROUP)).intoArray(totals, t0 + 3 * GROUP);
        a31.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + 3 * GROUP)).intoArray(totals, t1 + 3 * GROUP);
        a32.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + 3 * GROUP)).intoArray(totals, t2 + 3 * GROUP);
        d = FloatVector.fromArray(FLOATS, dw, 4 * GROUP);
        a40.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + 4 * GROUP)).intoArray(totals, t0 + 4 * GROUP);
        a41.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + 4 * GROUP)).intoArray(totals, t1 + 4 * GROUP);
        a42.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + 4 * GROUP)).intoArray(totals, t2 + 4 * GROUP);
        d = FloatVector.fromArray(FLOATS, dw, 5 * GROUP);
        a50.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + 5 * GROUP)).intoArray(totals, t0 + 5 * GROUP);
        a51.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + 5 * GROUP)).intoArray(totals, t1 + 5 * GROUP);
        a52.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + 5 * GROUP)).intoArray(totals, t2 + 5 * GROUP);
        d = FloatVector.fromArray(FLOATS, dw, 6 * GROUP);
        a60.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + 6 * GROUP)).intoArray(totals, t0 + 6 * GROUP);
        a61.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + 6 * GROUP)).intoArray(totals, t1 + 6 * GROUP);
        a62.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + 6 * GROUP)).intoArray(totals, t2 + 6 * GROUP);
        d = FloatVector.fromArray(FLOATS, dw, 7 * GROUP);
        a70.fma(d.mul(e0), FloatVector.fromArray(FLOATS, totals, t0 + 7 * GROUP)).intoArray(totals, t0 + 7 * GROUP);
        a71.fma(d.mul(e1), FloatVector.fromArray(FLOATS, totals, t1 + 7 * GROUP)).intoArray(totals, t1 + 7 * GROUP);
        a72.fma(d.mul(e2), FloatVector.fromArray(FLOATS, totals, t2 + 7 * GROUP)).intoArray(totals, t2 + 7 * GROUP);
    }

    /**
     * Reduces the totals of the panel rows that lie in {@code [rowStart, rowEnd)} into the outputs, a quad at a
     * time as the integer kernels store theirs; the totals' first lanes are overwritten on the way.
     */
    private static void store(float[] totals, int vectors, int row, int rows, int rowStart, int rowEnd,
                              float[][] out) {
        for (int n = 0; n < vectors; n++) {
            for (int r = 0; r < rows; r += 4) {
                Q4_0Interleaved.storeSums(totals, (n * ROWS + r) * GROUP, out[n], row + r, rowStart, rowEnd, false);
            }
        }
    }

    private static Workspace claim() {
        for (int i = 0; i < POOL.length(); i++) {
            Workspace w = POOL.get(i);
            if (w != null && POOL.compareAndSet(i, w, null)) {
                return w;
            }
        }
        return new Workspace();
    }

    private static void release(Workspace w) {
        for (int i = 0; i < POOL.length(); i++) {
            if (POOL.get(i) == null && POOL.compareAndSet(i, null, w)) {
                return;
            }
        }
    }
}
