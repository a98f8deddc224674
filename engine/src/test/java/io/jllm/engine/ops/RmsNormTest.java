package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RmsNormTest {

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 7, 16, 64, 100, 257, 4096})
    void vectorMatchesScalarReference(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] x = Nmse.gaussian(random, n + 3, 2.0);
        float[] weight = Nmse.gaussian(random, n, 1.0);
        float[] expected = new float[n];
        float[] actual = new float[n + 5];
        RmsNorm.reference(x, 3, weight, 1e-5f, expected, 0, n);
        RmsNorm.apply(x, 3, weight, 1e-5f, actual, 5, n);
        assertThat(Nmse.of(Arrays.copyOfRange(actual, 5, n + 5), expected)).isLessThan(1e-12);
    }

    @Test
    void unitWeightsGiveUnitRootMeanSquare() {
        float[] x = {3, 4, 0, 0};
        float[] out = new float[4];
        RmsNorm.apply(x, 0, new float[] {1, 1, 1, 1}, 0f, out, 0, 4);
        assertThat(out).containsExactly(new float[] {1.2f, 1.6f, 0, 0}, within(1e-6f));
    }

    @Test
    void normalisesInPlace() {
        SplittableRandom random = new SplittableRandom(1);
        float[] x = Nmse.gaussian(random, 70, 1.0);
        float[] weight = Nmse.gaussian(random, 70, 1.0);
        float[] expected = new float[70];
        RmsNorm.reference(x, 0, weight, 1e-6f, expected, 0, 70);
        RmsNorm.apply(x, 0, weight, 1e-6f, x, 0, 70);
        assertThat(Nmse.of(x, expected)).isLessThan(1e-12);
    }
}
