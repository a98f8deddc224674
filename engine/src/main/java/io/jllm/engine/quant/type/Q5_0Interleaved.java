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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.InterleavedLayout.FLOATS;
import static io.jllm.engine.quant.type.InterleavedLayout.GROUP;
import static io.jllm.engine.quant.type.InterleavedLayout.INTS;
import static io.jllm.engine.quant.type.InterleavedLayout.SCALES;
import static io.jllm.engine.quant.type.InterleavedLayout.SHORTS;

/**
 * A Q5_0 matrix repacked for integer products with {@link Q8_0Activations}, as llama.cpp computes them: per block
 * {@code d_w * d_x * sum((q - 16) * x_q)}. A group (see {@link InterleavedLayout}) stores the fp16 scales, the
 * low nibbles placed as {@link Q4_0Interleaved} places Q4_0's, then per row and lane one int of fifth bits: the
 * bit of weight {@code 8k + 2s + h} at bit {@code 16h + 4k + s}, so that for quant step {@code k} and sub-step
 * {@code s} one shift puts the fifth bits of the weights the nibble step holds at bits 4 and 20 (22 bytes per 32
 * weights, as stored). Each quant is put together less 16 in its 16-bit lane: a product with an 8-bit activation
 * is at most 2032 in magnitude, so a lane sums a whole block (16 steps, 32512 at most) before it is widened.
 * Prompts unpack each quad slice once ({@link UnpackedQuad}) and scale its sums as Q4_0 does. The loops are
 * written out in full with no helper methods (see {@link Q4_0Interleaved}).
 */
final class Q5_0Interleaved extends InterleavedMatrix
        implements InterleavedLayout.UnpackingQuadKernel<Q8_0Activations> {
    private static final int BLOCK_BYTES = 22;
    private static final long QUANTS_AT = 8L * GROUP;
    private static final long HIGH_AT = QUANTS_AT + 64L * GROUP;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Q4_0's scaling of unpacked block sums, which is also Q5_0's. */
    private final Q4_0Interleaved blockSums;

    private Q5_0Interleaved(InterleavedLayout layout) {
        super(layout);
        this.blockSums = new Q4_0Interleaved(layout, QUANTS_AT, false);
    }

    /**
     * Repacks the leading {@code columns} weights of {@code rows} GGUF rows (22-byte blocks) stored in
     * {@code src} {@code rowBytes} apart.
     */
    static Repacker repacker(MemorySegment src, int columns, int rows, int rowBytes) {
        return InterleavedRepacker.ofScaledBlocks(src, columns, rows, rowBytes, BLOCK_BYTES, BLOCK_BYTES - 2,
                (quad, from, group, row, lane) -> {
                    Q4_0Interleaved.place(quad, from + 6, group, QUANTS_AT, row, lane);
                    int stored = (int) INT_LE.get(quad, from + 2);
                    INT_LE.set(group, (int) HIGH_AT + 4 * (row * GROUP + lane), fifthBits(stored));
                },
                Q5_0Interleaved::new);
    }

    /** The block's fifth bits ({@code qh}, bit {@code i} for weight {@code i}) in the order the kernels read. */
    private static int fifthBits(int stored) {
        int bits = 0;
        for (int i = 0; i < 32; i++) {
            int k = i / 8;
            int s = i % 8 / 2;
            int h = i % 2;
            bits |= (stored >>> i & 1) << (16 * h + 4 * k + s);
        }
        return bits;
    }

    @Override
    public ActivationFormat format() {
        return ActivationFormat.Q8_0_INTERLEAVED;
    }

    @Override
    public void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        layout.multiply((Q8_0Activations) activations, rowStart, rowEnd, out, this);
    }

    /**
     * Vectors {@code n} and {@code n + 1} times one quad over groups {@code [first, last)}, each quant put
     * together once for both (small batches; larger ones go through {@link UnpackedQuad}).
     */
    @Override
    public void pair(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                     int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 4L * GROUP;
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
            ShortVector ca0 = ShortVector.zero(SHORTS);
            ShortVector ca1 = ShortVector.zero(SHORTS);
            ShortVector ca2 = ShortVector.zero(SHORTS);
            ShortVector ca3 = ShortVector.zero(SHORTS);
            ShortVector cb0 = ShortVector.zero(SHORTS);
            ShortVector cb1 = ShortVector.zero(SHORTS);
            ShortVector cb2 = ShortVector.zero(SHORTS);
            ShortVector cb3 = ShortVector.zero(SHORTS);
            int ab = g * Q8_0Activations.GROUP_COLUMNS;
            long eo = o + HIGH_AT;
            IntVector e0 = IntVector.fromMemorySegment(INTS, data, eo, ByteOrder.LITTLE_ENDIAN);
            IntVector e1 = IntVector.fromMemorySegment(INTS, data, eo + rowStep, ByteOrder.LITTLE_ENDIAN);
            IntVector e2 = IntVector.fromMemorySegment(INTS, data, eo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
            IntVector e3 = IntVector.fromMemorySegment(INTS, data, eo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 4; k++) {
                long wo = o + QUANTS_AT + k * 4 * rowStep;
                IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
                IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                // the fifth bits of step k's weights, at bits s (and 16 + s) for sub-step s
                IntVector u0 = e0.lanewise(VectorOperators.LSHR, 4 * k);
                IntVector u1 = e1.lanewise(VectorOperators.LSHR, 4 * k);
                IntVector u2 = e2.lanewise(VectorOperators.LSHR, 4 * k);
                IntVector u3 = e3.lanewise(VectorOperators.LSHR, 4 * k);
                int ak = ab + 4 * k * lanes2;
                ShortVector xa0 = ShortVector.fromArray(SHORTS, qa, ak);
                ShortVector xb0 = ShortVector.fromArray(SHORTS, qb, ak);
                ShortVector n00 = w0.and(0x000F000F).or(u0.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n01 = w1.and(0x000F000F).or(u1.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n02 = w2.and(0x000F000F).or(u2.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n03 = w3.and(0x000F000F).or(u3.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
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
                ShortVector n10 = w0.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u0.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n11 = w1.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u1.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n12 = w2.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u2.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n13 = w3.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u3.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
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
                ShortVector n20 = w0.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u0.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n21 = w1.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u1.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n22 = w2.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u2.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n23 = w3.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u3.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
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
                ShortVector n30 = w0.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u0.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ShortVector n31 = w1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u1.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ShortVector n32 = w2.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u2.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ShortVector n33 = w3.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u3.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ca0 = ca0.add(n30.mul(xa3));
                ca1 = ca1.add(n31.mul(xa3));
                ca2 = ca2.add(n32.mul(xa3));
                ca3 = ca3.add(n33.mul(xa3));
                cb0 = cb0.add(n30.mul(xb3));
                cb1 = cb1.add(n31.mul(xb3));
                cb2 = cb2.add(n32.mul(xb3));
                cb3 = cb3.add(n33.mul(xb3));
            }
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d0 = h0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h0.and(0x8000_0000)).reinterpretAsFloats();
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d1 = h1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h1.and(0x8000_0000)).reinterpretAsFloats();
            IntVector h2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d2 = h2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h2.and(0x8000_0000)).reinterpretAsFloats();
            IntVector h3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d3 = h3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h3.and(0x8000_0000)).reinterpretAsFloats();
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d0, fa0);
            IntVector ia1 = ca1.reinterpretAsInts();
            fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d1, fa1);
            IntVector ia2 = ca2.reinterpretAsInts();
            fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d2, fa2);
            IntVector ia3 = ca3.reinterpretAsInts();
            fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d3, fa3);
            FloatVector xdb = FloatVector.fromArray(FLOATS, sb, g * GROUP);
            IntVector ib0 = cb0.reinterpretAsInts();
            fb0 = ((FloatVector) ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d0, fb0);
            IntVector ib1 = cb1.reinterpretAsInts();
            fb1 = ((FloatVector) ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d1, fb1);
            IntVector ib2 = cb2.reinterpretAsInts();
            fb2 = ((FloatVector) ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d2, fb2);
            IntVector ib3 = cb3.reinterpretAsInts();
            fb3 = ((FloatVector) ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d3, fb3);
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
    public void single(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                       int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 4L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
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
            long eo = o + HIGH_AT;
            IntVector e0 = IntVector.fromMemorySegment(INTS, data, eo, ByteOrder.LITTLE_ENDIAN);
            IntVector e1 = IntVector.fromMemorySegment(INTS, data, eo + rowStep, ByteOrder.LITTLE_ENDIAN);
            IntVector e2 = IntVector.fromMemorySegment(INTS, data, eo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
            IntVector e3 = IntVector.fromMemorySegment(INTS, data, eo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 4; k++) {
                long wo = o + QUANTS_AT + k * 4 * rowStep;
                IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
                IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                // the fifth bits of step k's weights, at bits s (and 16 + s) for sub-step s
                IntVector u0 = e0.lanewise(VectorOperators.LSHR, 4 * k);
                IntVector u1 = e1.lanewise(VectorOperators.LSHR, 4 * k);
                IntVector u2 = e2.lanewise(VectorOperators.LSHR, 4 * k);
                IntVector u3 = e3.lanewise(VectorOperators.LSHR, 4 * k);
                int ak = ab + 4 * k * lanes2;
                ShortVector xa0 = ShortVector.fromArray(SHORTS, qa, ak);
                ShortVector n00 = w0.and(0x000F000F).or(u0.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n01 = w1.and(0x000F000F).or(u1.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n02 = w2.and(0x000F000F).or(u2.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n03 = w3.and(0x000F000F).or(u3.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ca0 = ca0.add(n00.mul(xa0));
                ca1 = ca1.add(n01.mul(xa0));
                ca2 = ca2.add(n02.mul(xa0));
                ca3 = ca3.add(n03.mul(xa0));
                ShortVector xa1 = ShortVector.fromArray(SHORTS, qa, ak + lanes2);
                ShortVector n10 = w0.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u0.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n11 = w1.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u1.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n12 = w2.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u2.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n13 = w3.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                        .or(u3.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ca0 = ca0.add(n10.mul(xa1));
                ca1 = ca1.add(n11.mul(xa1));
                ca2 = ca2.add(n12.mul(xa1));
                ca3 = ca3.add(n13.mul(xa1));
                ShortVector xa2 = ShortVector.fromArray(SHORTS, qa, ak + 2 * lanes2);
                ShortVector n20 = w0.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u0.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n21 = w1.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u1.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n22 = w2.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u2.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ShortVector n23 = w3.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                        .or(u3.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                        .reinterpretAsShorts().sub((short) 16);
                ca0 = ca0.add(n20.mul(xa2));
                ca1 = ca1.add(n21.mul(xa2));
                ca2 = ca2.add(n22.mul(xa2));
                ca3 = ca3.add(n23.mul(xa2));
                ShortVector xa3 = ShortVector.fromArray(SHORTS, qa, ak + 3 * lanes2);
                ShortVector n30 = w0.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u0.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ShortVector n31 = w1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u1.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ShortVector n32 = w2.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u2.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ShortVector n33 = w3.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                        .or(u3.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts()).sub((short) 16);
                ca0 = ca0.add(n30.mul(xa3));
                ca1 = ca1.add(n31.mul(xa3));
                ca2 = ca2.add(n32.mul(xa3));
                ca3 = ca3.add(n33.mul(xa3));
            }
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d0 = h0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h0.and(0x8000_0000)).reinterpretAsFloats();
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d1 = h1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h1.and(0x8000_0000)).reinterpretAsFloats();
            IntVector h2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d2 = h2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h2.and(0x8000_0000)).reinterpretAsFloats();
            IntVector h3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            FloatVector d3 = h3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h3.and(0x8000_0000)).reinterpretAsFloats();
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d0, fa0);
            IntVector ia1 = ca1.reinterpretAsInts();
            fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d1, fa1);
            IntVector ia2 = ca2.reinterpretAsInts();
            fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d2, fa2);
            IntVector ia3 = ca3.reinterpretAsInts();
            fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d3, fa3);
        }
        float[] four = Lanes.fourVectors();
        fa0.intoArray(four, 0);
        fa1.intoArray(four, GROUP);
        fa2.intoArray(four, 2 * GROUP);
        fa3.intoArray(four, 3 * GROUP);
        Q4_0Interleaved.storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
    }

    /**
     * Unpacks the quants, less 16, and, as floats, the block scales {@code d_w} (row {@code r} at vector
     * {@code r}).
     */
    @Override
    public void unpack(long base, int first, int last, UnpackedQuad into) {
        short[] weights = into.weights;
        int vector = SHORTS.length();
        long rowStep = 4L * GROUP;
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            int gi = g - first;
            int at = gi * UnpackedQuad.GROUP_SHORTS;
            for (int r = 0; r < 4; r++) {
                IntVector e = IntVector.fromMemorySegment(INTS, data, o + HIGH_AT + r * rowStep,
                        ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < 4; k++) {
                    IntVector w = IntVector.fromMemorySegment(INTS, data, o + QUANTS_AT + (4 * k + r) * rowStep,
                            ByteOrder.LITTLE_ENDIAN);
                    IntVector u = e.lanewise(VectorOperators.LSHR, 4 * k);
                    int step = at + (16 * k + r) * vector;
                    w.and(0x000F000F).or(u.lanewise(VectorOperators.LSHL, 4).and(0x00100010))
                            .reinterpretAsShorts().sub((short) 16).intoArray(weights, step);
                    w.lanewise(VectorOperators.LSHR, 4).and(0x000F000F)
                            .or(u.lanewise(VectorOperators.LSHL, 3).and(0x00100010))
                            .reinterpretAsShorts().sub((short) 16).intoArray(weights, step + 4 * vector);
                    w.lanewise(VectorOperators.LSHR, 8).and(0x000F000F)
                            .or(u.lanewise(VectorOperators.LSHL, 2).and(0x00100010))
                            .reinterpretAsShorts().sub((short) 16).intoArray(weights, step + 8 * vector);
                    w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12)
                            .or(u.lanewise(VectorOperators.LSHL, 1).and(0x00100010).reinterpretAsShorts())
                            .sub((short) 16).intoArray(weights, step + 12 * vector);
                }
            }
            into.unpackHalves(data, o, gi, 0);
        }
    }

    /** Per block {@code d_w * d_x * sum((q - 16) * x_q)}, as {@link #pair} computes it: the same bits. */
    @Override
    public void fourGroup(Q8_0Activations x, int n, int g, int gi, UnpackedQuad quadSlice) {
        blockSums.fourGroup(x, n, g, gi, quadSlice);
    }
}
