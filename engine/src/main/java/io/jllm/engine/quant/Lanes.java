package io.jllm.engine.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums in one fixed order. {@code reduceLanes(ADD)} leaves the order unspecified, and HotSpot's interpreter,
 * C1 and C2 do use different orders: the same product then rounds differently before and after the JIT warms
 * up, and once activations are quantized to 8 bits such a difference can flip a quant and move logits by a
 * large amount. Here the lanes are taken out one by one (constant indices, which C2 compiles to plain extracts)
 * and added as a pairwise tree: lane {@code i} with lane {@code i + half}, halving until one value is left.
 * {@link #sumEach} adds four vectors' lanes in that same order, four at a time in vector lanes.
 */
public final class Lanes {
    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();
    /** Lane {@code i} takes lane {@code i ^ s}: each lane meets its partner {@code s} away. */
    private static final VectorShuffle<Float> HALF = VectorShuffle.fromOp(FLOATS, i -> i ^ LANES / 2);
    private static final VectorShuffle<Float> QUARTER = VectorShuffle.fromOp(FLOATS, i -> i ^ LANES / 4);
    private static final VectorShuffle<Float> EIGHTH = VectorShuffle.fromOp(FLOATS, i -> i ^ Math.max(1, LANES / 8));
    private static final VectorShuffle<Float> SIXTEENTH =
            VectorShuffle.fromOp(FLOATS, i -> i ^ Math.max(1, LANES / 16));
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(FLOATS, -1L << LANES / 2);
    private static final VectorMask<Float> ODD_QUARTERS = oddQuarters();
    private static final ThreadLocal<float[]> FOUR_VECTORS = ThreadLocal.withInitial(() -> new float[4 * LANES]);

    private Lanes() {
    }

    private static VectorMask<Float> oddQuarters() {
        boolean[] odd = new boolean[LANES];
        for (int i = 0; i < LANES; i++) {
            odd[i] = i / (LANES / 4) % 2 == 1;
        }
        return VectorMask.fromArray(FLOATS, odd, 0);
    }

    /** This thread's room for four vectors of {@link VectorWidth#FLOATS}, for {@link #sumEach}. */
    public static float[] fourVectors() {
        return FOUR_VECTORS.get();
    }

    /**
     * Replaces {@code vectors[at .. at + 3]} by the lane sums of the four vectors stored one after the other from
     * {@code vectors[at]} on (each {@code L} lanes of {@link VectorWidth#FLOATS}), each exactly {@link #sum} of its
     * vector: every level adds the same pairs, two vectors per vector at the first level and all four after. One
     * vector add per level instead of one scalar add per pair and an extract per lane: a kernel that works four
     * rows sums them for a quarter of the instructions.
     */
    public static void sumEach(float[] vectors, int at) {
        FloatVector a = FloatVector.fromArray(FLOATS, vectors, at);
        FloatVector b = FloatVector.fromArray(FLOATS, vectors, at + LANES);
        FloatVector c = FloatVector.fromArray(FLOATS, vectors, at + 2 * LANES);
        FloatVector d = FloatVector.fromArray(FLOATS, vectors, at + 3 * LANES);
        // lane i + half meets lane i: a's sums in the lower half, b's in the upper
        FloatVector ab = a.add(a.rearrange(HALF)).blend(b.add(b.rearrange(HALF)), UPPER_HALF);
        FloatVector cd = c.add(c.rearrange(HALF)).blend(d.add(d.rearrange(HALF)), UPPER_HALF);
        // within each half, lane i + quarter meets lane i: quarters hold a, c, b and d
        FloatVector s = ab.add(ab.rearrange(QUARTER)).blend(cd.add(cd.rearrange(QUARTER)), ODD_QUARTERS);
        if (LANES >= 8) {
            s = s.add(s.rearrange(EIGHTH));
        }
        if (LANES >= 16) {
            s = s.add(s.rearrange(SIXTEENTH));
        }
        vectors[at] = s.lane(0);
        vectors[at + 1] = s.lane(LANES / 2);
        vectors[at + 2] = s.lane(LANES / 4);
        vectors[at + 3] = s.lane(3 * LANES / 4);
    }

    /** The sum of {@code v}'s lanes in the pairwise order above. */
    public static float sum(FloatVector v) {
        return switch (v.length()) {
            case 16 -> ((v.lane(0) + v.lane(8)) + (v.lane(4) + v.lane(12)))
                    + ((v.lane(2) + v.lane(10)) + (v.lane(6) + v.lane(14)))
                    + (((v.lane(1) + v.lane(9)) + (v.lane(5) + v.lane(13)))
                    + ((v.lane(3) + v.lane(11)) + (v.lane(7) + v.lane(15))));
            case 8 -> ((v.lane(0) + v.lane(4)) + (v.lane(2) + v.lane(6)))
                    + ((v.lane(1) + v.lane(5)) + (v.lane(3) + v.lane(7)));
            case 4 -> (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
            default -> sequential(v);
        };
    }

    private static float sequential(FloatVector v) {
        float sum = 0f;
        for (int i = 0; i < v.length(); i++) {
            sum += v.lane(i);
        }
        return sum;
    }
}
