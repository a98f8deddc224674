package io.jllm.engine.quant.type;

import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.Repacker;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;

/**
 * A Q4_1 matrix repacked for integer products with {@link Q8_0Activations}, as llama.cpp computes them with
 * Q8_1 activations: per block {@code d_w * d_x * sum(q * x_q) + m_w * s_x}, where {@code s_x} is the
 * activations' stored fp16 {@code d * sum(q)} ({@link Q8_0Activations#q8_1Sums}). A group (see
 * {@link InterleavedLayout}) stores the fp16 scales {@code d}, then the fp16 minimums {@code m} in the same
 * order, then the nibbles placed as {@link Q4_0Interleaved} places Q4_0's (20 bytes per 32 weights, as stored).
 * The nibble products are Q4_0's kernel with no offset to take out (a nibble times a quant, 16 per 16-bit lane,
 * fits as for Q4_0); the minimums' terms are added per quad and slice, a few vector operations per group.
 */
final class Q4_1Interleaved extends InterleavedMatrix
        implements InterleavedLayout.UnpackingQuadKernel<Q8_0Activations> {
    private static final long MINS_AT = 8L * GROUP;
    private static final long QUANTS_AT = 16L * GROUP;

    private final Q4_0Interleaved nibbles;

    private Q4_1Interleaved(InterleavedLayout layout) {
        super(layout);
        this.nibbles = new Q4_0Interleaved(layout, QUANTS_AT, false);
    }

    /**
     * Repacks the leading {@code columns} weights of {@code rows} GGUF rows (20-byte blocks) stored in
     * {@code src} {@code rowBytes} apart.
     */
    static Repacker repacker(MemorySegment src, int columns, int rows, int rowBytes) {
        return InterleavedRepacker.ofScaledBlocks(src, columns, rows, rowBytes, 20, 18,
                (quad, from, group, row, lane) -> {
                    int slot = (int) (MINS_AT + InterleavedLayout.scaleOffset(row, lane));
                    group[slot] = quad[from + 2];
                    group[slot + 1] = quad[from + 3];
                    Q4_0Interleaved.place(quad, from + 4, group, QUANTS_AT, row, lane);
                },
                Q4_1Interleaved::new);
    }

    @Override
    public ActivationFormat format() {
        return ActivationFormat.Q8_0_INTERLEAVED;
    }

    @Override
    public void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        layout.multiply((Q8_0Activations) activations, rowStart, rowEnd, out, this);
    }

    @Override
    public void pair(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                     int rowStart, int rowEnd) {
        nibbles.pair(x, n, base, first, last, out, quad, rowStart, rowEnd);
        addMinimums(x, n, base, first, last, out, quad, rowStart, rowEnd);
        addMinimums(x, n + 1, base, first, last, out, quad, rowStart, rowEnd);
    }

    @Override
    public void single(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                       int rowStart, int rowEnd) {
        nibbles.single(x, n, base, first, last, out, quad, rowStart, rowEnd);
        addMinimums(x, n, base, first, last, out, quad, rowStart, rowEnd);
    }

    @Override
    public void unpack(long base, int first, int last, UnpackedQuad into) {
        nibbles.unpack(base, first, last, into);
        long o = base + MINS_AT;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            into.unpackHalves(data, o, g - first, 4);
        }
    }

    @Override
    public void fourGroup(Q8_0Activations x, int n, int g, int gi, UnpackedQuad quadSlice) {
        nibbles.fourGroup(x, n, g, gi, quadSlice);
    }

    @Override
    public void storeFour(Q8_0Activations x, int n, long base, int first, int last, UnpackedQuad quadSlice,
                          float[][] out, int quad, int rowStart, int rowEnd) {
        InterleavedLayout.UnpackingQuadKernel.super.storeFour(x, n, base, first, last, quadSlice, out, quad,
                rowStart, rowEnd);
        for (int v = n; v < n + 4; v++) {
            addUnpackedMinimums(x, v, quadSlice, first, last, out, quad, rowStart, rowEnd);
        }
    }

    /** {@link #addMinimums} with the minimums {@link #unpack}ed into {@code quadSlice}: the same floats and sums. */
    private static void addUnpackedMinimums(Q8_0Activations x, int n, UnpackedQuad quadSlice, int first, int last,
                                            float[][] out, int quad, int rowStart, int rowEnd) {
        float[] sums = x.q8_1Sums[n];
        float[] minimums = quadSlice.scales;
        FloatVector m0 = FloatVector.zero(FLOATS);
        FloatVector m1 = FloatVector.zero(FLOATS);
        FloatVector m2 = FloatVector.zero(FLOATS);
        FloatVector m3 = FloatVector.zero(FLOATS);
        for (int g = first; g < last; g++) {
            FloatVector s = FloatVector.fromArray(FLOATS, sums, g * GROUP);
            int at = (g - first) * UnpackedQuad.GROUP_SCALES + 4 * GROUP;
            m0 = FloatVector.fromArray(FLOATS, minimums, at).fma(s, m0);
            m1 = FloatVector.fromArray(FLOATS, minimums, at + GROUP).fma(s, m1);
            m2 = FloatVector.fromArray(FLOATS, minimums, at + 2 * GROUP).fma(s, m2);
            m3 = FloatVector.fromArray(FLOATS, minimums, at + 3 * GROUP).fma(s, m3);
        }
        float[] four = Lanes.fourVectors();
        m0.intoArray(four, 0);
        m1.intoArray(four, GROUP);
        m2.intoArray(four, 2 * GROUP);
        m3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, true);
    }

    /**
     * Adds {@code sum m_w * s_x} over groups {@code [first, last)} to the quad's rows of {@code out[n]}, after
     * the nibble products were stored there. The fp16 minimums become floats as in {@link Q4_0Interleaved},
     * written out here: a helper returning the vectors ran uncompiled (Vector API fallbacks, allocating).
     */
    private void addMinimums(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                             int rowStart, int rowEnd) {
        float[] sums = x.q8_1Sums[n];
        FloatVector m0 = FloatVector.zero(FLOATS);
        FloatVector m1 = FloatVector.zero(FLOATS);
        FloatVector m2 = FloatVector.zero(FLOATS);
        FloatVector m3 = FloatVector.zero(FLOATS);
        long o = base + MINS_AT;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            FloatVector s = FloatVector.fromArray(FLOATS, sums, g * GROUP);
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            m0 = h0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h0.and(0x8000_0000)).reinterpretAsFloats().fma(s, m0);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            m1 = h1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h1.and(0x8000_0000)).reinterpretAsFloats().fma(s, m1);
            IntVector h2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            m2 = h2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h2.and(0x8000_0000)).reinterpretAsFloats().fma(s, m2);
            IntVector h3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            m3 = h3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h3.and(0x8000_0000)).reinterpretAsFloats().fma(s, m3);
        }
        float[] four = Lanes.fourVectors();
        m0.intoArray(four, 0);
        m1.intoArray(four, GROUP);
        m2.intoArray(four, 2 * GROUP);
        m3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, true);
    }
}
