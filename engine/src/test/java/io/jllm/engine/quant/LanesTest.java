package io.jllm.engine.quant;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lane sums follow one pairwise order at every width (run at 128, 256 and 512 bits), so the same product rounds
 * the same way before and after the JIT compiles it: lane {@code i} with lane {@code i + half}, halving, written
 * out here in plain float arithmetic. Values of very different magnitudes make any other order round differently.
 */
class LanesTest {

    @Test
    void sumAddsLanesPairwiseInOneFixedOrder() {
        Random random = new Random(11);
        int lanes = VectorWidth.FLOATS.length();
        float[] values = new float[lanes];
        for (int round = 0; round < 10_000; round++) {
            for (int i = 0; i < lanes; i++) {
                values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
            }
            FloatVector v = FloatVector.fromArray(VectorWidth.FLOATS, values, 0);

            assertThat(Float.floatToRawIntBits(Lanes.sum(v))).as("round %d", round)
                    .isEqualTo(Float.floatToRawIntBits(pairwise(values, 0, lanes)));
        }
    }

    @Test
    void sumEachGivesEachVectorsSumBitForBit() {
        Random random = new Random(12);
        int lanes = VectorWidth.FLOATS.length();
        float[] values = new float[4 * lanes];
        float[] four = Lanes.fourVectors();
        for (int round = 0; round < 10_000; round++) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
            }
            System.arraycopy(values, 0, four, 0, values.length);

            Lanes.sumEach(four, 0);

            for (int v = 0; v < 4; v++) {
                assertThat(Float.floatToRawIntBits(four[v])).as("round %d, vector %d", round, v)
                        .isEqualTo(Float.floatToRawIntBits(pairwise(values, v * lanes, lanes)));
            }
        }
    }

    /** The pairwise sum of {@code values[from, from + count)} with lane {@code i} meeting lane {@code i + half}. */
    private static float pairwise(float[] values, int from, int count) {
        float[] level = Arrays.copyOfRange(values, from, from + count);
        for (int half = count / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                level[i] = level[i] + level[i + half];
            }
        }
        return level[0];
    }
}
