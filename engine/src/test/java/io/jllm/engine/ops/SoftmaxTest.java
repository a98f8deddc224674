package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SoftmaxTest {

    @ParameterizedTest(name = "n = {0}, sd = {1}")
    @CsvSource({"1, 1", "5, 1", "16, 3", "33, 10", "512, 4", "1000, 80"})
    void vectorMatchesScalarReference(int n, double sd) {
        float[] x = Nmse.gaussian(new SplittableRandom(n), n + 2, sd);
        float[] expected = x.clone();
        Softmax.reference(expected, 2, n);
        Softmax.apply(x, 2, n);
        assertThat(Nmse.of(Arrays.copyOfRange(x, 2, n + 2), Arrays.copyOfRange(expected, 2, n + 2))).isLessThan(1e-11);
        assertThat(Arrays.copyOfRange(x, 0, 2)).as("outside the range").containsExactly(expected[0], expected[1]);
    }

    @Test
    void largeScoresDoNotOverflow() {
        float[] x = {1000, 1000, 999};
        Softmax.apply(x, 0, 3);
        double e = Math.exp(-1);
        assertThat(x).containsExactly(new float[] {(float) (1 / (2 + e)), (float) (1 / (2 + e)), (float) (e / (2 + e))},
                within(1e-6f));
    }
}
