package io.jllm.engine.quant.type;

import io.jllm.engine.quant.VectorWidth;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What the block decoders share: little-endian field access, fp16 scales, the 6-bit scales of Q4_K and Q5_K,
 * the IQ4 value table, and the step every decoder ends with, turning 16 small integers into 16 scaled floats.
 * Decoders assemble their quants 16 at a time in a 128-bit byte vector, whatever the float width: each of those
 * bytes becomes one float lane, spread over {@link #PARTS} float vectors.
 */
final class Blocks {

    static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    static final int LANES = FLOATS.length();
    static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);
    /** 16-bit values (F16, BF16), as many as there are float lanes. */
    static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class,
            VectorShape.forBitSize(FLOATS.vectorBitSize() / 2));
    /** 16 quants, one per byte lane. */
    static final VectorSpecies<Byte> QUANTS = ByteVector.SPECIES_128;
    /** Float vectors filled by the 16 quants of one byte vector. */
    static final int PARTS = QUANTS.length() / LANES;

    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The 16 non-uniform levels that IQ4_NL and IQ4_XS nibbles index (ggml's {@code kvalues_iq4nl}). */
    static final ByteVector IQ4_LEVELS = ByteVector.fromArray(QUANTS,
            new byte[] {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113}, 0);

    private Blocks() {
    }

    /** The fp16 value stored at {@code offset}. */
    static float fp16(MemorySegment segment, long offset) {
        return Float.float16ToFloat(segment.get(SHORT_LE, offset));
    }

    /** {@link #LANES} 16-bit values from {@code offset}, widened to ints without sign extension. */
    static IntVector loadHalves(MemorySegment segment, long offset) {
        return ((IntVector) ShortVector.fromMemorySegment(HALVES, segment, offset, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, INTS, 0)).and(0xFFFF);
    }

    /** 16 bytes from {@code offset}, one per lane. */
    static ByteVector load16(MemorySegment segment, long offset) {
        return ByteVector.fromMemorySegment(QUANTS, segment, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes {@code q[i] * scale} to {@code dst[at + i]} for the 16 signed bytes of {@code q}. */
    static void store(ByteVector q, float scale, float[] dst, int at) {
        for (int p = 0; p < PARTS; p++) {
            ((FloatVector) q.convertShape(VectorOperators.B2F, FLOATS, p)).mul(scale).intoArray(dst, at + p * LANES);
        }
    }

    /**
     * Writes {@code q[i] * scale + offset} to {@code dst[at + i]}, rounding after the product and after the sum as
     * the scalar formula does (no fused multiply-add).
     */
    static void store(ByteVector q, float scale, float offset, float[] dst, int at) {
        for (int p = 0; p < PARTS; p++) {
            ((FloatVector) q.convertShape(VectorOperators.B2F, FLOATS, p)).mul(scale).add(offset)
                    .intoArray(dst, at + p * LANES);
        }
    }

    /**
     * Scale {@code j} (0..7) of the 12 bytes of 6-bit scales and mins that Q4_K and Q5_K store at {@code offset}:
     * scales 0..3 are the low 6 bits of bytes 0..3; scales 4..7 take their low 4 bits from bytes 8..11 and their
     * high 2 bits from the top of bytes 0..3.
     */
    static int kScale(MemorySegment segment, long offset, int j) {
        if (j < 4) {
            return segment.get(ValueLayout.JAVA_BYTE, offset + j) & 63;
        }
        return (segment.get(ValueLayout.JAVA_BYTE, offset + j + 4) & 0xF)
                | ((segment.get(ValueLayout.JAVA_BYTE, offset + j - 4) & 0xFF) >>> 6) << 4;
    }

    /** Min {@code j} (0..7) of the same 12 bytes: bytes 4..7, or the high nibbles of 8..11 and tops of 4..7. */
    static int kMin(MemorySegment segment, long offset, int j) {
        if (j < 4) {
            return segment.get(ValueLayout.JAVA_BYTE, offset + j + 4) & 63;
        }
        return (segment.get(ValueLayout.JAVA_BYTE, offset + j + 4) & 0xFF) >>> 4
                | ((segment.get(ValueLayout.JAVA_BYTE, offset + j) & 0xFF) >>> 6) << 4;
    }

    /** Copies of the first {@code length} values of each row, rounded to bfloat16 (nearest even) as ggml does. */
    static float[][] roundToBf16(float[][] x, int length) {
        float[][] rounded = new float[x.length][length];
        for (int n = 0; n < x.length; n++) {
            for (int i = 0; i < length; i++) {
                int bits = Float.floatToRawIntBits(x[n][i]);
                if ((bits & 0x7fffffff) > 0x7f800000) {
                    bits |= 0x00400000;
                } else {
                    bits += 0x7fff + ((bits >>> 16) & 1);
                }
                rounded[n][i] = Float.intBitsToFloat(bits & 0xffff0000);
            }
        }
        return rounded;
    }

    /** Copies of the first {@code length} values of each row, rounded to half precision (nearest even). */
    static float[][] roundToF16(float[][] x, int length) {
        float[][] rounded = new float[x.length][length];
        for (int n = 0; n < x.length; n++) {
            for (int i = 0; i < length; i++) {
                rounded[n][i] = Float.float16ToFloat(Float.floatToFloat16(x[n][i]));
            }
        }
        return rounded;
    }
}
