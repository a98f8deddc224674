package io.jllm.engine.quant.type;

import io.jllm.engine.quant.PackedMatrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * comes off once per block through the activations' block sums.
 * <p>The fp16 scales become floats with integer operations, 16 at a time: the magnitude bits moved into float
 * position and multiplied by 2^112 (which rebases the exponent, exact for every finite value, subnormals
 * included), then the sign put back. The loop is written out in full with no helper methods: in a method this
 * large C2 stops inlining ordinary methods, and a helper taking or returning vectors then boxes them.
 */
final class Q4_0Interleaved implements PackedMatrix {
    private static final int QUANT_BYTES = 16;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final InterleavedLayout layout;
    private final MemorySegment data;

    private Q4_0Interleaved(InterleavedLayout layout) {
        this.layout = layout;
        this.data = layout.data;
    }

    /** Repacks {@code rows} GGUF rows of {@code columns} weights (18-byte blocks) stored in {@code src}. */
    static Q4_0Interleaved pack(MemorySegment src, int columns, int rows) {
        InterleavedLayout layout = new InterleavedLayout(rows, columns, QUANT_BYTES);
        int blocks = columns / 32;
        long rowBytes = blocks * 18L;
        for (int quad = 0; quad < layout.quads; quad++) {
            for (int g = 0; g < layout.groups; g++) {
                long group = layout.offset(quad, g);
                for (int i = 0; i < 4; i++) {
                    int row = quad * 4 + i;
                    for (int l = 0; l < GROUP; l++) {
                        int block = g * GROUP + l;
                        if (row >= rows || block >= blocks) {
                            continue;
                        }
                        long from = row * rowBytes + block * 18L;
                        layout.data.set(Blocks.SHORT_LE, group + InterleavedLayout.scaleOffset(i, l),
                                src.get(Blocks.SHORT_LE, from));
                        for (int k = 0; k < 4; k++) {
                            int packed = 0;
                            for (int s = 0; s < 4; s++) {
                                for (int h = 0; h < 2; h++) {
                                    packed |= nibble(src, from + 2, 8 * k + 2 * s + h) << (16 * h + 4 * s);
                                }
                            }
                            layout.data.set(Blocks.INT_LE, group + 8L * GROUP + 4L * ((k * 4 + i) * GROUP + l),
                                    packed);
                        }
                    }
                }
            }
        }
        return new Q4_0Interleaved(layout);
    }

    private static int nibble(MemorySegment src, long quants, int weight) {
        int b = src.get(BYTE, quants + (weight & 15)) & 0xFF;
        return weight < 16 ? b & 0xF : b >>> 4;
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
    public void multiply(Q8_0Activations x, int rowStart, int rowEnd, float[][] out) {
        layout.check(x, rowStart, rowEnd, out);
        if (rowStart == rowEnd) {
            return;
        }
        int quadEnd = Math.ceilDiv(rowEnd, 4);
        int vectors = x.vectors();
        int lanes2 = 2 * GROUP;
        long quantsAt = 8L * GROUP;
        long rowStep = 4L * GROUP;
        for (int first = 0; first < layout.groups; first += layout.sliceGroups) {
            int last = Math.min(layout.groups, first + layout.sliceGroups);
            for (int quad = rowStart / 4; quad < quadEnd; quad++) {
                long base = layout.offset(quad, first);
                for (int n = 0; n < vectors; n++) {
                    short[] a = x.quants[n];
                    float[] as = x.scales[n];
                    int[] s8 = x.sums8[n];
                    FloatVector f0 = FloatVector.zero(FLOATS);
                    FloatVector f1 = FloatVector.zero(FLOATS);
                    FloatVector f2 = FloatVector.zero(FLOATS);
                    FloatVector f3 = FloatVector.zero(FLOATS);
                    long o = base;
                    for (int g = first; g < last; g++, o += layout.groupBytes) {
                        ShortVector acc0 = ShortVector.zero(SHORTS);
                        ShortVector acc1 = ShortVector.zero(SHORTS);
                        ShortVector acc2 = ShortVector.zero(SHORTS);
                        ShortVector acc3 = ShortVector.zero(SHORTS);
                        int ab = g * Q8_0Activations.GROUP_COLUMNS;
                        for (int k = 0; k < 4; k++) {
                            long wo = o + quantsAt + k * 4 * rowStep;
                            IntVector w0 = IntVector.fromMemorySegment(INTS, data, wo, ByteOrder.LITTLE_ENDIAN);
                            IntVector w1 = IntVector.fromMemorySegment(INTS, data, wo + rowStep, ByteOrder.LITTLE_ENDIAN);
                            IntVector w2 = IntVector.fromMemorySegment(INTS, data, wo + 2 * rowStep, ByteOrder.LITTLE_ENDIAN);
                            IntVector w3 = IntVector.fromMemorySegment(INTS, data, wo + 3 * rowStep, ByteOrder.LITTLE_ENDIAN);
                            int ak = ab + 4 * k * lanes2;
                            ShortVector a0 = ShortVector.fromArray(SHORTS, a, ak);
                            acc0 = acc0.add(w0.and(0x000F000F).reinterpretAsShorts().mul(a0));
                            acc1 = acc1.add(w1.and(0x000F000F).reinterpretAsShorts().mul(a0));
                            acc2 = acc2.add(w2.and(0x000F000F).reinterpretAsShorts().mul(a0));
                            acc3 = acc3.add(w3.and(0x000F000F).reinterpretAsShorts().mul(a0));
                            ShortVector a1 = ShortVector.fromArray(SHORTS, a, ak + lanes2);
                            acc0 = acc0.add(w0.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts().mul(a1));
                            acc1 = acc1.add(w1.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts().mul(a1));
                            acc2 = acc2.add(w2.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts().mul(a1));
                            acc3 = acc3.add(w3.lanewise(VectorOperators.LSHR, 4).and(0x000F000F).reinterpretAsShorts().mul(a1));
                            ShortVector a2 = ShortVector.fromArray(SHORTS, a, ak + 2 * lanes2);
                            acc0 = acc0.add(w0.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts().mul(a2));
                            acc1 = acc1.add(w1.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts().mul(a2));
                            acc2 = acc2.add(w2.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts().mul(a2));
                            acc3 = acc3.add(w3.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).reinterpretAsShorts().mul(a2));
                            ShortVector a3 = ShortVector.fromArray(SHORTS, a, ak + 3 * lanes2);
                            acc0 = acc0.add(w0.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts().mul(a3));
                            acc1 = acc1.add(w1.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts().mul(a3));
                            acc2 = acc2.add(w2.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts().mul(a3));
                            acc3 = acc3.add(w3.lanewise(VectorOperators.LSHR, 12).and(0x000F000F).reinterpretAsShorts().mul(a3));
                        }
                        IntVector offset = IntVector.fromArray(INTS, s8, g * GROUP);
                        FloatVector xd = FloatVector.fromArray(FLOATS, as, g * GROUP);
                        IntVector i0 = acc0.reinterpretAsInts();
                        IntVector i1 = acc1.reinterpretAsInts();
                        IntVector i2 = acc2.reinterpretAsInts();
                        IntVector i3 = acc3.reinterpretAsInts();
                        i0 = i0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                                .add(i0.lanewise(VectorOperators.ASHR, 16)).sub(offset);
                        i1 = i1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                                .add(i1.lanewise(VectorOperators.ASHR, 16)).sub(offset);
                        i2 = i2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                                .add(i2.lanewise(VectorOperators.ASHR, 16)).sub(offset);
                        i3 = i3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                                .add(i3.lanewise(VectorOperators.ASHR, 16)).sub(offset);
                        IntVector h0 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o, ByteOrder.LITTLE_ENDIAN)
                                .convertShape(VectorOperators.S2I, INTS, 0);
                        IntVector h1 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 2 * GROUP, ByteOrder.LITTLE_ENDIAN)
                                .convertShape(VectorOperators.S2I, INTS, 0);
                        IntVector h2 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 4 * GROUP, ByteOrder.LITTLE_ENDIAN)
                                .convertShape(VectorOperators.S2I, INTS, 0);
                        IntVector h3 = (IntVector) ShortVector.fromMemorySegment(SCALES, data, o + 6 * GROUP, ByteOrder.LITTLE_ENDIAN)
                                .convertShape(VectorOperators.S2I, INTS, 0);
                        f0 = ((FloatVector) i0.convert(VectorOperators.I2F, 0)).mul(xd).fma(h0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                                .reinterpretAsInts().or(h0.and(0x8000_0000)).reinterpretAsFloats(), f0);
                        f1 = ((FloatVector) i1.convert(VectorOperators.I2F, 0)).mul(xd).fma(h1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                                .reinterpretAsInts().or(h1.and(0x8000_0000)).reinterpretAsFloats(), f1);
                        f2 = ((FloatVector) i2.convert(VectorOperators.I2F, 0)).mul(xd).fma(h2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                                .reinterpretAsInts().or(h2.and(0x8000_0000)).reinterpretAsFloats(), f2);
                        f3 = ((FloatVector) i3.convert(VectorOperators.I2F, 0)).mul(xd).fma(h3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                                .reinterpretAsInts().or(h3.and(0x8000_0000)).reinterpretAsFloats(), f3);
                    }
                    int row = quad * 4;
                    float[] o4 = out[n];
                    boolean add = first > 0;
                    if (row >= rowStart && row < rowEnd) {
                        o4[row] = f0.reduceLanes(VectorOperators.ADD) + (add ? o4[row] : 0f);
                    }
                    if (row + 1 >= rowStart && row + 1 < rowEnd) {
                        o4[row + 1] = f1.reduceLanes(VectorOperators.ADD) + (add ? o4[row + 1] : 0f);
                    }
                    if (row + 2 >= rowStart && row + 2 < rowEnd) {
                        o4[row + 2] = f2.reduceLanes(VectorOperators.ADD) + (add ? o4[row + 2] : 0f);
                    }
                    if (row + 3 >= rowStart && row + 3 < rowEnd) {
                        o4[row + 3] = f3.reduceLanes(VectorOperators.ADD) + (add ? o4[row + 3] : 0f);
                    }
                }
            }
        }
    }

}
