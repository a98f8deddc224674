package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class AttentionTest {

    @ParameterizedTest(name = "{0} heads, {1} KV heads, key {2}, value {3}, position {4}")
    @CsvSource({"4, 2, 64, 64, 0", "4, 2, 64, 64, 15", "8, 8, 24, 40, 100", "6, 1, 17, 17, 300"})
    void vectorMatchesScalarReference(int heads, int kvHeads, int keyLength, int valueLength, int position) {
        SplittableRandom random = new SplittableRandom(position + heads);
        int positions = position + 5;
        float[] keys = Nmse.gaussian(random, positions * kvHeads * keyLength, 1.0);
        float[] values = Nmse.gaussian(random, positions * kvHeads * valueLength, 1.0);
        float[] q = Nmse.gaussian(random, heads * keyLength, 3.0);
        Attention attention = new Attention(heads, kvHeads, keyLength, valueLength);
        float[] expected = new float[heads * valueLength];
        float[] actual = new float[heads * valueLength];
        float[] scores = new float[positions];
        for (int h = 0; h < heads; h++) {
            attention.headReference(q, h, keys, values, position, expected);
            attention.head(q, h, keys, values, position, scores, actual);
        }
        assertThat(Nmse.of(actual, expected)).isLessThan(1e-11);
    }

    @Test
    void firstPositionAttendsOnlyToItself() {
        SplittableRandom random = new SplittableRandom(7);
        float[] keys = Nmse.gaussian(random, 3 * 2 * 8, 1.0);
        float[] values = Nmse.gaussian(random, 3 * 2 * 8, 1.0);
        float[] q = Nmse.gaussian(random, 4 * 8, 1.0);
        float[] out = new float[4 * 8];
        Attention attention = new Attention(4, 2, 8, 8);
        attention.head(q, 3, keys, values, 0, new float[3], out);
        assertThat(Arrays.copyOfRange(out, 24, 32)).as("head 3 reads KV head 1 of position 0")
                .containsExactly(Arrays.copyOfRange(values, 8, 16));
    }
}
