package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RopeTest {

    @ParameterizedTest(name = "{0}, {1} of {2} dims, base {3}, position {4}, factors {5}")
    @CsvSource({
            "ADJACENT_PAIRS, 64, 64, 10000, 1, false",
            "ADJACENT_PAIRS, 128, 128, 500000, 4095, true",
            "SPLIT_HALVES, 64, 64, 1000000, 37, false",
            "SPLIT_HALVES, 32, 64, 10000, 511, true",
            "ADJACENT_PAIRS, 16, 64, 10000, 100000, false"})
    void rotationMatchesComplexReference(RopeLayout layout, int dims, int headSize, float base, int position,
                                         boolean factors) {
        SplittableRandom random = new SplittableRandom(position);
        float[] freqFactors = null;
        if (factors) {
            freqFactors = new float[dims / 2];
            for (int i = 0; i < freqFactors.length; i++) {
                freqFactors[i] = 1 + random.nextInt(32);
            }
        }
        Rope rope = new Rope(dims, base, freqFactors, layout);
        float[] x = Nmse.gaussian(random, 2 * headSize, 1.0);
        float[] expected = x.clone();
        rope.reference(expected, headSize, position);
        float[] cos = new float[rope.pairCount()];
        float[] sin = new float[rope.pairCount()];
        rope.angles(position, cos, sin);
        float[] original = x.clone();
        rope.rotate(x, headSize, cos, sin);
        assertThat(Nmse.of(x, expected)).isLessThan(1e-12);
        assertThat(Arrays.copyOfRange(x, headSize + dims, 2 * headSize)).as("dimensions beyond the rotated ones")
                .containsExactly(Arrays.copyOfRange(original, headSize + dims, 2 * headSize));
    }

    @Test
    void layoutsPairDifferentElements() {
        float[] adjacent = {1, 0, 0, 0};
        float[] split = {1, 0, 0, 0};
        float[] cos = {0, 1};
        float[] sin = {1, 0};
        new Rope(4, 10000, null, RopeLayout.ADJACENT_PAIRS).rotate(adjacent, 0, cos, sin);
        new Rope(4, 10000, null, RopeLayout.SPLIT_HALVES).rotate(split, 0, cos, sin);
        assertThat(adjacent).containsExactly(0, 1, 0, 0);
        assertThat(split).containsExactly(0, 0, 1, 0);
    }

    @Test
    void anglesFollowTheFrequencyFormula() {
        Rope rope = new Rope(8, 10000, new float[] {1, 1, 2, 8}, RopeLayout.ADJACENT_PAIRS);
        float[] cos = new float[4];
        float[] sin = new float[4];
        rope.angles(3, cos, sin);
        for (int i = 0; i < 4; i++) {
            double theta = 3 * Math.pow(10000, -2.0 * i / 8) / new double[] {1, 1, 2, 8}[i];
            assertThat(cos[i]).isCloseTo((float) Math.cos(theta), within(1e-7f));
            assertThat(sin[i]).isCloseTo((float) Math.sin(theta), within(1e-7f));
        }
    }
}
