package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeGluTest {

    /**
     * The fp16 steps round the input and the GELU to 11 significant bits: each value moves by at most half a step
     * of the input times GELU's slope (below 1.13) plus half a step of the GELU, times the up value.
     */
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 9, 64, 2048, 1001})
    void staysWithinFp16PrecisionOfTheExactActivation(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] gate = Nmse.gaussian(random, n, 4.0);
        float[] up = Nmse.gaussian(random, n, 1.0);
        float[] x = gate.clone();
        float[] expected = gate.clone();
        GeGlu.reference(expected, up, n);
        GeGlu.apply(gate, up, n);
        for (int i = 0; i < n; i++) {
            float step = 0x1p-11f * (1.13f * Math.abs(x[i]) + Math.abs(expected[i] / up[i])) * Math.abs(up[i]);
            assertThat(gate[i]).as("value %d", i).isCloseTo(expected[i], within(step + 1e-7f));
        }
    }

    /**
     * ggml's values ({@code ggml_vec_geglu_f32} with {@code GGML_GELU_FP16}), computed with numpy in float32:
     * {@code h = float32(float16(x)); float16(0.5*h*(1 + tanh(0.7978845608*h*(1 + 0.044715*h*h))))}, 0 for
     * {@code x <= -10}, {@code x} for {@code x >= 10}.
     */
    @Test
    void imitatesGgmlsFp16TableBitForBit() {
        float[] x = {0, 1, -1, 3, -3, 0.1234567f, 2.71828f, -0.5f, 9.99f, -9.99f, 10.5f, -10.5f};
        float[] expected = {0f, 0.84130859375f, -0.1588134765625f, 2.99609375f, -0.0036373138427734375f,
                0.06781005859375f, 2.7109375f, -0.154296875f, 9.9921875f, -0f, 10.5f, 0f};
        float[] up = new float[x.length];
        Arrays.fill(up, 1f);
        GeGlu.apply(x, up, x.length);
        for (int i = 0; i < x.length; i++) {
            assertThat(x[i]).as("value %d", i).isEqualTo(expected[i], within(0f));
        }
    }
}
