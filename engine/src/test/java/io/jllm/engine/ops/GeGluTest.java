package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeGluTest {

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 9, 64, 2048, 1001})
    void vectorMatchesScalarReference(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] gate = Nmse.gaussian(random, n, 4.0);
        float[] up = Nmse.gaussian(random, n, 1.0);
        float[] expected = gate.clone();
        GeGlu.reference(expected, up, n);
        GeGlu.apply(gate, up, n);
        assertThat(Nmse.of(gate, expected)).isLessThan(1e-12);
    }

    /**
     * Expected values from Python: {@code 0.5*x*(1+math.tanh(math.sqrt(2/math.pi)*(x+0.044715*x**3)))} times
     * the up value.
     */
    @Test
    void geluTanhOfKnownValues() {
        float[] gate = {0, 1, -1, 3, -3};
        GeGlu.apply(gate, new float[] {1, 1, 2, 1, 1}, 5);
        assertThat(gate).containsExactly(new float[] {0, 0.8411920f, -0.3176160f, 2.9963626f, -0.0036374f},
                within(1e-6f));
    }
}
