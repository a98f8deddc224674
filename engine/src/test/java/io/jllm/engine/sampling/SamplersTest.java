package io.jllm.engine.sampling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each sampler on logits small enough that the right answer is worked out by hand in the test. */
class SamplersTest {

    private static final float LN2 = (float) Math.log(2);

    @Test
    void greedyPicksTheHighestLogitAndTheFirstOnATie() {
        // Tokens 1 and 3 share the maximum 3.0; the first in candidate (id) order wins.
        assertThat(new Greedy().select(Candidates.of(1f, 3f, 2f, 3f))).isEqualTo(1);
        assertThat(new Greedy().select(Candidates.of(-5f, -1f, -3f))).isEqualTo(1);
    }

    @Test
    void temperatureDividesEveryLogit() {
        Candidates c = Candidates.of(1f, 2f, -4f);
        new Temperature(2f).apply(c);
        // 1/2, 2/2, -4/2
        assertThat(logits(c)).containsExactly(0.5f, 1f, -2f);
    }

    @Test
    void temperatureRejectsZeroAndNegative() {
        assertThatThrownBy(() -> new Temperature(0f)).hasMessageContaining("temperature must be > 0");
        assertThatThrownBy(() -> new Temperature(-1f)).hasMessageContaining("got -1.0");
    }

    @Test
    void topKKeepsTheKHighestSortedDescending() {
        Candidates c = Candidates.of(0.1f, 5f, -1f, 3f, 4f);
        new TopK(3).apply(c);
        // The three largest are 5 (id 1), 4 (id 4), 3 (id 3).
        assertThat(ids(c)).containsExactly(1, 4, 3);
        assertThat(logits(c)).containsExactly(5f, 4f, 3f);
    }

    @Test
    void topKBreaksTiesAtTheCutInFavourOfEarlierTokens() {
        Candidates c = Candidates.of(1f, 4f, 4f, 4f);
        new TopK(2).apply(c);
        // Three tokens tie at 4; only two fit, so ids 1 and 2 stay and id 3 goes.
        assertThat(ids(c)).containsExactly(1, 2);
    }

    @Test
    void topKLargerThanTheVocabularyKeepsEverythingSorted() {
        Candidates c = Candidates.of(1f, 3f, 2f);
        new TopK(10).apply(c);
        assertThat(ids(c)).containsExactly(1, 2, 0);
    }

    @Test
    void topKOnALargeVocabularyAgreesWithAFullSort() {
        Random random = new Random(7);
        float[] logits = new float[5000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        Candidates c = Candidates.of(logits);
        new TopK(25).apply(c);
        int[] expected = IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparing(i -> i))
                .limit(25).mapToInt(Integer::intValue).toArray();
        assertThat(ids(c)).containsExactly(expected);
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        // Probabilities 0.2, 0.5, 0.3 for ids 0, 1, 2; sorted: 0.5 (id 1), 0.3 (id 2), 0.2 (id 0).
        // Cumulative 0.5, 0.8, 1.0: p = 0.4 stops at the first, 0.75 at the second, 0.81 needs all three.
        assertThat(ids(topP(0.4f, 0.2, 0.5, 0.3))).containsExactly(1);
        assertThat(ids(topP(0.75f, 0.2, 0.5, 0.3))).containsExactly(1, 2);
        assertThat(ids(topP(0.81f, 0.2, 0.5, 0.3))).containsExactly(1, 2, 0);
        assertThat(ids(topP(1f, 0.2, 0.5, 0.3))).containsExactly(0, 1, 2);
    }

    @Test
    void topPAlwaysKeepsOneToken() {
        // A single token with probability 0.9 already exceeds any p below it.
        assertThat(ids(topP(0.01f, 0.05, 0.9, 0.05))).containsExactly(1);
    }

    @Test
    void minPKeepsTokensAtLeastPTimesAsLikelyAsTheTop() {
        // Logits k*ln2 make the probabilities proportional to 1, 8, 2, 4 for ids 0..3.
        // Relative to the top (8): 1/8, 1, 1/4, 1/2. With p = 0.3 only 1 and 1/2 pass: ids 1 and 3.
        Candidates c = Candidates.of(0f, 3 * LN2, LN2, 2 * LN2);
        new MinP(0.3f).apply(c);
        assertThat(ids(c)).containsExactly(1, 3);
    }

    @Test
    void minPOfOneKeepsOnlyTheTop() {
        Candidates c = Candidates.of(0f, 3 * LN2, LN2);
        new MinP(1f).apply(c);
        assertThat(ids(c)).containsExactly(1);
    }

    @Test
    void penaltiesFollowLlamaCppArithmetic() {
        Penalties penalties = new Penalties(64, 2f, 0.5f, 0.25f);
        for (int token : new int[] {2, 2, 0, 1}) {
            penalties.accept(token);
        }
        Candidates c = Candidates.of(4f, -2f, 1f, 3f);
        penalties.apply(c);
        // id 0, seen once, positive: 4 / 2 - 1 * 0.5 - 0.25 = 1.25
        // id 1, seen once, negative: -2 * 2 - 1 * 0.5 - 0.25 = -4.75
        // id 2, seen twice, positive: 1 / 2 - 2 * 0.5 - 0.25 = -0.75
        // id 3, never seen: unchanged 3
        assertThat(logits(c)).containsExactly(1.25f, -4.75f, -0.75f, 3f);
    }

    @Test
    void penaltiesLookOnlyAtTheLastNTokens() {
        Penalties penalties = new Penalties(2, 2f, 0f, 0f);
        for (int token : new int[] {0, 1, 2}) {
            penalties.accept(token);
        }
        Candidates c = Candidates.of(4f, -2f, 1f, 3f);
        penalties.apply(c);
        // The window holds ids 1 and 2 only: id 0 slid out and keeps 4; -2 * 2 = -4; 1 / 2 = 0.5.
        assertThat(logits(c)).containsExactly(4f, -4f, 0.5f, 3f);
    }

    @Test
    void penaltiesForgetEverythingOnReset() {
        Penalties penalties = new Penalties(8, 2f, 1f, 1f);
        penalties.accept(0);
        penalties.reset();
        Candidates c = Candidates.of(4f, 1f);
        penalties.apply(c);
        assertThat(logits(c)).containsExactly(4f, 1f);
    }

    @Test
    void candidatesRejectLogitsNoSamplerCouldUse() {
        assertThatThrownBy(() -> Candidates.of(0f, 1f, Float.NaN)).hasMessage("logit of token 2 is NaN");
        assertThatThrownBy(() -> Candidates.of(Float.POSITIVE_INFINITY))
                .hasMessage("logit of token 0 is Infinity");
        assertThatThrownBy(() -> Candidates.of(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY))
                .hasMessage("every one of the 2 logits is -Infinity");
        assertThatThrownBy(Candidates::of).hasMessageContaining("empty vocabulary");
    }

    @Test
    void probabilitiesAreTheSoftmax() {
        // softmax(0, ln 3) = (1, 3) / 4
        Candidates c = Candidates.of(0f, (float) Math.log(3));
        assertThat(Arrays.copyOf(c.probabilities(), c.size()))
                .containsExactly(new double[] {0.25, 0.75}, within(1e-7));
    }

    private static Candidates topP(float p, double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        Candidates c = Candidates.of(logits);
        new TopP(p).apply(c);
        return c;
    }

    static int[] ids(Candidates c) {
        return IntStream.range(0, c.size()).map(c::id).toArray();
    }

    private static float[] logits(Candidates c) {
        float[] out = new float[c.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.logit(i);
        }
        return out;
    }
}
