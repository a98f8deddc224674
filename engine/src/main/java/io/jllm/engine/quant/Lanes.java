package io.jllm.engine.quant;

import jdk.incubator.vector.FloatVector;

/**
 * Lane sums in one fixed order. {@code reduceLanes(ADD)} leaves the order unspecified, and HotSpot's interpreter,
 * C1 and C2 do use different orders: the same product then rounds differently before and after the JIT warms
 * up, and once activations are quantized to 8 bits such a difference can flip a quant and move logits by a
 * large amount. Here the lanes are taken out one by one (constant indices, which C2 compiles to plain extracts)
 * and added as a pairwise tree: lane {@code i} with lane {@code i + half}, halving until one value is left.
 */
public final class Lanes {
    private Lanes() {
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
