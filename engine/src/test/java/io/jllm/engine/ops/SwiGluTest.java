package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SwiGluTest {

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 9, 64, 768, 1001})
    void vectorMatchesScalarReference(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] gate = Nmse.gaussian(random, n, 4.0);
        float[] up = Nmse.gaussian(random, n, 1.0);
        float[] expected = gate.clone();
        SwiGlu.reference(expected, up, n);
        SwiGlu.apply(gate, up, n);
        assertThat(Nmse.of(gate, expected)).isLessThan(1e-12);
    }

    @Test
    void siluOfKnownValues() {
        float[] gate = {0, 1, -1, 20};
        SwiGlu.apply(gate, new float[] {1, 1, 2, 1}, 4);
        assertThat(gate).containsExactly(new float[] {0, 0.7310586f, -0.5378828f, 20}, within(1e-6f));
    }
}
