package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.ActivationFormat;
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
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * A Q8_0 matrix repacked for integer products with {@link Q8_0Activations}, as llama.cpp computes them: per block,
 * {@code d_w * d_x * sum(w_q * x_q)}. A group (see {@link InterleavedLayout}) stores after its scales 16 steps
 * {@code j}; in each, row {@code i} has two bytes per block, weights {@code 2j} and {@code 2j + 1}, matching the
 * activations' value pairs. Two products of 8-bit values fit a 16-bit lane; each pair is then widened into the
 * block's int lane.
 * <p>The fp16 scales become floats with integer operations, 16 at a time: the magnitude bits moved into float
 * position and multiplied by 2^112 (which rebases the exponent, exact for every finite value, subnormals
 * included), then the sign put back. The loop is written out in full with no helper methods: in a method this
 * large C2 stops inlining ordinary methods, and a helper taking or returning vectors then boxes them.
 * <p>From {@link PanelProduct#MIN_VECTORS} vectors on (prompt prefill), products go through {@link PanelProduct},
 * which unpacks each block once into floats for all vectors.
 */
final class Q8_0Interleaved extends InterleavedMatrix
        implements PanelProduct.Unpacker, InterleavedLayout.QuadKernel<Q8_0Activations> {
    private static final int QUANT_BYTES = 32;


    private Q8_0Interleaved(InterleavedLayout layout) {
        super(layout);
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Repacks the leading {@code columns} weights of {@code rows} GGUF rows (34-byte blocks) stored in
     * {@code src} {@code rowBytes} apart.
     */
    static Repacker repacker(MemorySegment src, int columns, int rows, int rowBytes) {
        return InterleavedRepacker.ofScaledBlocks(src, columns, rows, rowBytes, 34, QUANT_BYTES,
                Q8_0Interleaved::place, Q8_0Interleaved::new);
    }

    /** Step {@code j} of row {@code row}, lane {@code lane}: the block's weights {@code 2j} and {@code 2j + 1}. */
    private static void place(byte[] src, int from, byte[] group, int row, int lane) {
        for (int j = 0, at = 8 * GROUP + 2 * (row * GROUP + lane); j < 16; j++, at += 8 * GROUP) {
            SHORT.set(group, at, (short) SHORT.get(src, from + 2 + 2 * j));
        }
    }

    @Override
    public ActivationFormat format() {
        return ActivationFormat.Q8_0_INTERLEAVED;
    }

    @Override
    public void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        Q8_0Activations x = (Q8_0Activations) activations;
        layout.check(x, rowStart, rowEnd, out);
        if (rowStart == rowEnd) {
            return;
        }
        if (x.vectors() >= PanelProduct.MIN_VECTORS) {
            PanelProduct.multiply(this, layout, x, rowStart, rowEnd, out);
            return;
        }
        layout.multiply(x, rowStart, rowEnd, out, this);
    }

    /** Vectors {@code n} and {@code n + 1}, one after the other (a few tokens; prompts go through the panel). */
    @Override
    public void pair(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                     int rowStart, int rowEnd) {
        single(x, n, base, first, last, out, quad, rowStart, rowEnd);
        single(x, n + 1, base, first, last, out, quad, rowStart, rowEnd);
    }

    /**
     * Vector {@code n} times one quad over groups {@code [first, last)}: a method of its own, called per quad, so
     * that C2 compiles it within a token's first product instead of waiting for on-stack replacement of a loop
     * over the whole matrix (which ran Gemma 3's first output products uncompiled).
     */
    @Override
    public void single(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                       int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long quantsAt = 8L * GROUP;
        long rowStep = 2L * GROUP;
        float[] four = Lanes.fourVectors();
        short[] a = x.quants[n];
        float[] as = x.scales[n];
        FloatVector f0 = FloatVector.zero(FLOATS);
        FloatVector f1 = FloatVector.zero(FLOATS);
        FloatVector f2 = FloatVector.zero(FLOATS);
        FloatVector f3 = FloatVector.zero(FLOATS);
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            IntVector acc0 = IntVector.zero(INTS);
            IntVector acc1 = IntVector.zero(INTS);
            IntVector acc2 = IntVector.zero(INTS);
            IntVector acc3 = IntVector.zero(INTS);
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            for (int j = 0; j < 16; j += 2) {
                long wo = o + quantsAt + j * 4 * rowStep;
                ShortVector a0 = ShortVector.fromArray(SHORTS, a, ab + j * lanes2);
                ShortVector a1 = ShortVector.fromArray(SHORTS, a, ab + (j + 1) * lanes2);
                IntVector p0 = ((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 4 * rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a1)).reinterpretAsInts();
                IntVector p1 = ((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 5 * rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a1)).reinterpretAsInts();
                IntVector p2 = ((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 6 * rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a1)).reinterpretAsInts();
                IntVector p3 = ((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, wo + 7 * rowStep, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(a1)).reinterpretAsInts();
                acc0 = acc0.add(p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                        .add(p0.lanewise(VectorOperators.ASHR, 16));
                acc1 = acc1.add(p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                        .add(p1.lanewise(VectorOperators.ASHR, 16));
                acc2 = acc2.add(p2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                        .add(p2.lanewise(VectorOperators.ASHR, 16));
                acc3 = acc3.add(p3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                        .add(p3.lanewise(VectorOperators.ASHR, 16));
            }
            FloatVector xd = FloatVector.fromArray(FLOATS, as, g * GROUP);
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            IntVector h2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            IntVector h3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d0 = h0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h0.and(0x8000_0000)).reinterpretAsFloats();
            FloatVector d1 = h1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h1.and(0x8000_0000)).reinterpretAsFloats();
            FloatVector d2 = h2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h2.and(0x8000_0000)).reinterpretAsFloats();
            FloatVector d3 = h3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h3.and(0x8000_0000)).reinterpretAsFloats();
            f0 = ((FloatVector) acc0.convert(VectorOperators.I2F, 0)).mul(xd).fma(d0, f0);
            f1 = ((FloatVector) acc1.convert(VectorOperators.I2F, 0)).mul(xd).fma(d1, f1);
            f2 = ((FloatVector) acc2.convert(VectorOperators.I2F, 0)).mul(xd).fma(d2, f2);
            f3 = ((FloatVector) acc3.convert(VectorOperators.I2F, 0)).mul(xd).fma(d3, f3);
        }
        f0.intoArray(four, 0);
        f1.intoArray(four, GROUP);
        f2.intoArray(four, 2 * GROUP);
        f3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
    }

    /** The quad's quants of one group as floats: each pair of bytes sign-extended apart. */
    @Override
    public void unpack(long group, float[] panel, int row) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 16; j++) {
                IntVector v = (IntVector) ShortVector.fromMemorySegment(SCALES, data,
                        group + 8L * GROUP + 2L * (j * 4 + i) * GROUP, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.S2I, INTS, 0);
                ((FloatVector) v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24)
                        .convert(VectorOperators.I2F, 0))
                        .intoArray(panel, (2 * j * PanelProduct.ROWS + row + i) * GROUP);
                ((FloatVector) v.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0))
                        .intoArray(panel, ((2 * j + 1) * PanelProduct.ROWS + row + i) * GROUP);
            }
        }
    }
}
