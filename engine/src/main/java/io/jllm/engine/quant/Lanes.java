package io.jllm.engine.quant;

import jdk.incubator.vector.FloatVector;

/**
 * Lane sums in one fixed order. {@code reduceLanes(ADD)} leaves the order unspecified, and HotSpot's interpreter,
 * C1 and C2 do use different orders: the same product then rounds differently before and after the JIT warms
 * up, and once activations are quantized to 8 bits such a difference can flip a quant and move logits by a
 * large amount. A pairwise tree of lanewise adds gives the same bits in every mode.
 */
public final class Lanes {
    private Lanes() {
    }

    /** The sum of {@code v}'s lanes: lanes {@code i} and {@code i + half} added, halving until one lane is left. */
    public static float sum(FloatVector v) {
        FloatVector s = v;
        for (int half = v.length() >> 1; half > 0; half >>= 1) {
            s = s.add(s.slice(half));
        }
        return s.lane(0);
    }
}
