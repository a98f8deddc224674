package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.ActivationFormat;
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
 * A Q4_0 matrix repacked for integer products with {@link Q8_0Activations}, as llama.cpp computes them: per block,
 * {@code d_w * d_x * sum((q - 8) * x_q)}. A group (see {@link InterleavedLayout}) stores after its scales four
 * steps {@code k}; in each, row {@code i}'s int at lane {@code l} holds 8 nibbles of block {@code l}: at bit
 * {@code 16h + 4s} the quant of weight {@code 8k + 2s + h}. Shifting by {@code 4s} and masking puts weights
 * {@code 8k + 2s + h} in the 16-bit lanes where the activations keep value pair {@code 4k + s}. Products of a
 * nibble and an 8-bit activation fit 16 bits with room for the 16 a lane accumulates per block; the offset of 8
 * comes off once per block through the activations' block sums. The same kernel, with no offset and its steps
 * after the minimums, gives {@link Q4_1Interleaved} its nibble products.
 * <p>The fp16 scales become floats with integer operations, 16 at a time: the magnitude bits moved into float
 * position and multiplied by 2^112 (which rebases the exponent, exact for every finite value, subnormals
 * included), then the sign put back. The loop is written out in full with no helper methods: in a method this
 * large C2 stops inlining ordinary methods, and a helper taking or returning vectors then boxes them.
 */
final class Q4_0Interleaved extends InterleavedMatrix
        implements InterleavedLayout.UnpackingQuadKernel<Q8_0Activations> {
    private static final int QUANT_BYTES = 16;
    private static final long QUANTS_AT = 8L * GROUP;

    /** Where a group's quant steps start (after the scales, and for Q4_1 its minimums). */
    private final long quantsAt;
    /** Whether the quants are offset by 8 (Q4_0), taken out through the activations' block sums. */
    private final boolean offsetByEight;

    private Q4_0Interleaved(InterleavedLayout layout) {
        this(layout, QUANTS_AT, true);
    }

    /** The nibble products of a layout whose quant steps start at {@code quantsAt}, offset by 8 or not. */
    Q4_0Interleaved(InterleavedLayout layout, long quantsAt, boolean offsetByEight) {
        super(layout);
        this.quantsAt = quantsAt;
        this.offsetByEight = offsetByEight;
    }

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;

    /**
     * Repacks the leading {@code columns} weights of {@code rows} GGUF rows (18-byte blocks) stored in
     * {@code src} {@code rowBytes} apart.
     */
    static Repacker repacker(MemorySegment src, int columns, int rows, int rowBytes) {
        return InterleavedRepacker.ofScaledBlocks(src, columns, rows, rowBytes, 18, QUANT_BYTES,
                (quad, from, group, row, lane) -> place(quad, from + 2, group, QUANTS_AT, row, lane),
                Q4_0Interleaved::new);
    }

    /**
     * Writes a block's 16 quant bytes (at {@code quants} in {@code src}) as its four ints (steps {@code k}) in a
     * group whose steps start at {@code quantsAt}: weights {@code 8k .. 8k + 7} are the low nibbles of quant
     * bytes {@code 8k .. 8k + 7} for k = 0, 1 and the high nibbles of bytes {@code 8(k - 2) ..} for k = 2, 3;
     * the even bytes' nibbles go to bits 0-15, the odd bytes' to bits 16-31, each set in byte order. Q4_1's
     * nibbles are placed the same way ({@link Q4_1Interleaved}).
     */
    static void place(byte[] src, int quants, byte[] group, long quantsAt, int row, int lane) {
        long first = (long) LONG_LE.get(src, quants);
        long second = (long) LONG_LE.get(src, quants + 8);
        int at = (int) quantsAt + 4 * (row * GROUP + lane);
        int step = 16 * GROUP;
        INT_LE.set(group, at, packed(first & LOW_NIBBLES));
        INT_LE.set(group, at + step, packed(second & LOW_NIBBLES));
        INT_LE.set(group, at + 2 * step, packed(first >>> 4 & LOW_NIBBLES));
        INT_LE.set(group, at + 3 * step, packed(second >>> 4 & LOW_NIBBLES));
    }

    /** One step's int from the eight nibbles of a step, one per byte of {@code nibbles}. */
    private static int packed(long nibbles) {
        return gather(nibbles) | gather(nibbles >>> 8) << 16;
    }

    /** The nibbles in bytes 0, 2, 4 and 6 of {@code bytes}, packed into bits 0-15 in that order. */
    private static int gather(long bytes) {
        long even = bytes & 0x000F000F000F000FL;
        long pairs = (even | even >>> 12) & 0x000000FF000000FFL;
        return (int) ((pairs | pairs >>> 24) & 0xFFFF);
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
     * Vectors {@code n} and {@code n + 1} times one quad over groups {@code [first, last)}, each nibble unpacked
     * once for both (small batches; from {@link InterleavedLayout#UNPACK_FROM_VECTORS} on, four vectors at a time
     * go through {@link UnpackedQuad}). Kept apart from {@link #single}: one method holding both failed to
     * compile with C2 and ran interpreted.
     */
    @Override
    public void pair(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                     int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 4L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        int[] ma = offsetByEight ? x.sums8[n] : x.noOffsets;
        FloatVector fa0 = FloatVector.zero(FLOATS);
        FloatVector fa1 = FloatVector.zero(FLOATS);
        FloatVector fa2 = FloatVector.zero(FLOATS);
        FloatVector fa3 = FloatVector.zero(FLOATS);
        short[] qb = x.quants[n + 1];
        float[] sb = x.scales[n + 1];
        int[] mb = offsetByEight ? x.sums8[n + 1] : x.noOffsets;
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
            IntVector offseta = IntVector.fromArray(INTS, ma, g * GROUP);
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d0, fa0);
            IntVector ia1 = ca1.reinterpretAsInts();
            fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d1, fa1);
            IntVector ia2 = ca2.reinterpretAsInts();
            fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d2, fa2);
            IntVector ia3 = ca3.reinterpretAsInts();
            fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d3, fa3);
            IntVector offsetb = IntVector.fromArray(INTS, mb, g * GROUP);
            FloatVector xdb = FloatVector.fromArray(FLOATS, sb, g * GROUP);
            IntVector ib0 = cb0.reinterpretAsInts();
            fb0 = ((FloatVector) ib0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib0.lanewise(VectorOperators.ASHR, 16)).sub(offsetb).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d0, fb0);
            IntVector ib1 = cb1.reinterpretAsInts();
            fb1 = ((FloatVector) ib1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib1.lanewise(VectorOperators.ASHR, 16)).sub(offsetb).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d1, fb1);
            IntVector ib2 = cb2.reinterpretAsInts();
            fb2 = ((FloatVector) ib2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib2.lanewise(VectorOperators.ASHR, 16)).sub(offsetb).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d2, fb2);
            IntVector ib3 = cb3.reinterpretAsInts();
            fb3 = ((FloatVector) ib3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ib3.lanewise(VectorOperators.ASHR, 16)).sub(offsetb).convert(VectorOperators.I2F, 0))
                    .mul(xdb).fma(d3, fb3);
        }
        float[] four = Lanes.fourVectors();
        fa0.intoArray(four, 0);
        fa1.intoArray(four, GROUP);
        fa2.intoArray(four, 2 * GROUP);
        fa3.intoArray(four, 3 * GROUP);
        storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
        fb0.intoArray(four, 0);
        fb1.intoArray(four, GROUP);
        fb2.intoArray(four, 2 * GROUP);
        fb3.intoArray(four, 3 * GROUP);
        storeSums(four, 0, out[n + 1], quad * 4, rowStart, rowEnd, first > 0);
    }

    /** Vector {@code n} times one quad over groups {@code [first, last)}. */
    @Override
    public void single(Q8_0Activations x, int n, long base, int first, int last, float[][] out, int quad,
                       int rowStart, int rowEnd) {
        int lanes2 = 2 * GROUP;
        long rowStep = 4L * GROUP;
        short[] qa = x.quants[n];
        float[] sa = x.scales[n];
        int[] ma = offsetByEight ? x.sums8[n] : x.noOffsets;
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
                ShortVector n30 = w0.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n31 = w1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n32 = w2.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
                ShortVector n33 = w3.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 12);
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
            IntVector offseta = IntVector.fromArray(INTS, ma, g * GROUP);
            FloatVector xda = FloatVector.fromArray(FLOATS, sa, g * GROUP);
            IntVector ia0 = ca0.reinterpretAsInts();
            fa0 = ((FloatVector) ia0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia0.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d0, fa0);
            IntVector ia1 = ca1.reinterpretAsInts();
            fa1 = ((FloatVector) ia1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia1.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d1, fa1);
            IntVector ia2 = ca2.reinterpretAsInts();
            fa2 = ((FloatVector) ia2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia2.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d2, fa2);
            IntVector ia3 = ca3.reinterpretAsInts();
            fa3 = ((FloatVector) ia3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(ia3.lanewise(VectorOperators.ASHR, 16)).sub(offseta).convert(VectorOperators.I2F, 0))
                    .mul(xda).fma(d3, fa3);
        }
        float[] four = Lanes.fourVectors();
        fa0.intoArray(four, 0);
        fa1.intoArray(four, GROUP);
        fa2.intoArray(four, 2 * GROUP);
        fa3.intoArray(four, 3 * GROUP);
        storeSums(four, 0, out[n], quad * 4, rowStart, rowEnd, first > 0);
    }

    /**
     * Unpacks the nibbles (less 8 for Q4_0) and, as floats, the block scales {@code d_w} (row {@code r} at vector
     * {@code r}).
     */
    @Override
    public void unpack(long base, int first, int last, UnpackedQuad into) {
        long o = base;
        for (int g = first; g < last; g++, o += layout.groupBytes) {
            int gi = g - first;
            into.unpackNibbles(data, o + quantsAt, gi, (short) (offsetByEight ? 8 : 0));
            into.unpackHalves(data, o, gi, 0);
        }
    }

    /**
     * Per block {@code d_w * d_x * sum(q_w * x_q)} with Q4_0's offset taken out, as {@link #pair} computes it:
     * the same integers and float operations, so the same bits.
     */
    @Override
    public void fourGroup(Q8_0Activations x, int n, int g, int gi, UnpackedQuad quadSlice) {
        quadSlice.sumFour(x.quants, n, g, gi, 0, 16);
        int[] sums = quadSlice.sums;
        float[] acc = quadSlice.accumulators;
        int s = gi * UnpackedQuad.GROUP_SCALES;
        FloatVector d0 = FloatVector.fromArray(FLOATS, quadSlice.scales, s);
        FloatVector d1 = FloatVector.fromArray(FLOATS, quadSlice.scales, s + GROUP);
        FloatVector d2 = FloatVector.fromArray(FLOATS, quadSlice.scales, s + 2 * GROUP);
        FloatVector d3 = FloatVector.fromArray(FLOATS, quadSlice.scales, s + 3 * GROUP);
        for (int v = 0; v < 4; v++) {
            FloatVector xd = FloatVector.fromArray(FLOATS, x.scales[n + v], g * GROUP);
            int at = 4 * v * GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0))
                    .mul(xd).fma(d0, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
            at += GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0))
                    .mul(xd).fma(d1, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
            at += GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0))
                    .mul(xd).fma(d2, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
            at += GROUP;
            ((FloatVector) IntVector.fromArray(INTS, sums, at).convert(VectorOperators.I2F, 0))
                    .mul(xd).fma(d3, FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
        }
    }

    /**
     * Stores, as {@link #store} does, the lane sums ({@link Lanes#sumEach}) of the quad's four row vectors at
     * {@code vectors[at ..]}.
     */
    static void storeSums(float[] vectors, int at, float[] out, int row, int rowStart, int rowEnd, boolean add) {
        Lanes.sumEach(vectors, at);
        store(vectors[at], vectors[at + 1], vectors[at + 2], vectors[at + 3], out, row, rowStart, rowEnd, add);
    }

    static void store(float r0, float r1, float r2, float r3, float[] out, int row, int rowStart, int rowEnd,
                      boolean add) {
        if (row >= rowStart && row < rowEnd) {
            out[row] = r0 + (add ? out[row] : 0f);
        }
        if (row + 1 >= rowStart && row + 1 < rowEnd) {
            out[row + 1] = r1 + (add ? out[row + 1] : 0f);
        }
        if (row + 2 >= rowStart && row + 2 < rowEnd) {
            out[row + 2] = r2 + (add ? out[row + 2] : 0f);
        }
        if (row + 3 >= rowStart && row + 3 < rowEnd) {
            out[row + 3] = r3 + (add ? out[row + 3] : 0f);
        }
    }
}
