package io.jllm.engine.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class AttentionTest {

    @ParameterizedTest(name = "{0} heads, {1} KV heads, key {2}, value {3}, position {4}, window {5}")
    @CsvSource({"4, 2, 64, 64, 0, 0", "4, 2, 64, 64, 15, 0", "8, 8, 24, 40, 100, 0", "6, 1, 17, 17, 300, 0",
            "4, 1, 32, 32, 300, 64", "4, 2, 16, 16, 10, 11", "4, 2, 16, 16, 10, 12", "2, 1, 8, 8, 50, 1"})
    void vectorMatchesScalarReference(int heads, int kvHeads, int keyLength, int valueLength, int position,
                                      int window) {
        SplittableRandom random = new SplittableRandom(position + heads + window);
        int positions = position + 5;
        float[] keys = Nmse.gaussian(random, positions * kvHeads * keyLength, 1.0);
        float[] values = Nmse.gaussian(random, positions * kvHeads * valueLength, 1.0);
        float[] q = Nmse.gaussian(random, heads * keyLength, 3.0);
        Attention attention = new Attention(heads, kvHeads, keyLength, valueLength,
                (float) (1 / Math.sqrt(keyLength)));
        float[] expected = new float[heads * valueLength];
        float[] actual = new float[heads * valueLength];
        float[] scores = new float[positions];
        for (int h = 0; h < heads; h++) {
            attention.headReference(q, h, keys, values, position, window, expected);
            attention.head(q, h, keys, values, position, window, scores, actual);
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
        Attention attention = new Attention(4, 2, 8, 8, 0.35f);
        attention.head(q, 3, keys, values, 0, 0, new float[3], out);
        assertThat(Arrays.copyOfRange(out, 24, 32)).as("head 3 reads KV head 1 of position 0")
                .containsExactly(Arrays.copyOfRange(values, 8, 16));
    }

    @Test
    void aWindowOfOneSeesOnlyTheQuerysOwnPosition() {
        SplittableRandom random = new SplittableRandom(9);
        float[] keys = Nmse.gaussian(random, 6 * 8, 1.0);
        float[] values = Nmse.gaussian(random, 6 * 8, 1.0);
        float[] q = Nmse.gaussian(random, 8, 1.0);
        float[] out = new float[8];
        new Attention(1, 1, 8, 8, 0.35f).head(q, 0, keys, values, 5, 1, new float[6], out);
        assertThat(out).containsExactly(Arrays.copyOfRange(values, 40, 48));
    }

    @Test
    void aWindowAsLongAsTheContextChangesNothing() {
        SplittableRandom random = new SplittableRandom(11);
        float[] keys = Nmse.gaussian(random, 20 * 16, 1.0);
        float[] values = Nmse.gaussian(random, 20 * 16, 1.0);
        float[] q = Nmse.gaussian(random, 16, 2.0);
        Attention attention = new Attention(1, 1, 16, 16, 0.25f);
        float[] full = new float[16];
        float[] windowed = new float[16];
        attention.head(q, 0, keys, values, 19, 0, new float[20], full);
        attention.head(q, 0, keys, values, 19, 20, new float[20], windowed);
        assertThat(windowed).containsExactly(full);
    }
}
