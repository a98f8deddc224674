package io.jllm.engine.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerChainTest {

    /** Probabilities 0.5, 0.25, 0.15, 0.1 as logits. */
    private static final float[] LOGITS = logitsOf(0.5, 0.25, 0.15, 0.1);
    private static final SamplerConfig UNFILTERED = SamplerConfig.defaults().withTopK(0).withTopP(1f).withMinP(0f)
            .withTemperature(1f);

    @Test
    void temperatureZeroIsGreedy() {
        SamplerChain chain = SamplerChain.from(SamplerConfig.greedy());
        assertThat(IntStream.range(0, 50).map(i -> chain.sample(LOGITS))).containsOnly(0);
    }

    @Test
    void greedyStillAppliesTheRepetitionPenalty() {
        // logits ln 0.5 = -0.69 and ln 0.25 = -1.39; with token 0 seen and penalty 3: -0.69 * 3 = -2.08 < -1.39.
        SamplerChain chain = SamplerChain.from(SamplerConfig.greedy().withPenalties(3f, 0f, 0f, 64));
        chain.accept(0);
        assertThat(chain.sample(LOGITS)).isEqualTo(1);
        chain.reset();
        assertThat(chain.sample(LOGITS)).isEqualTo(0);
    }

    @Test
    void greedyWithoutPenaltiesTakesTheFirstOfEqualMaxima() {
        SamplerChain chain = SamplerChain.from(SamplerConfig.greedy());
        assertThat(chain.sample(new float[] {1f, 3f, Float.NEGATIVE_INFINITY, 3f})).isEqualTo(1);
        assertThat(chain.sample(new float[] {-5f, -1f, -1f})).isEqualTo(1);
    }

    static Stream<Arguments> unusableLogits() {
        return Stream.of(
                Arguments.of(new float[0], "no logits to sample from (empty vocabulary)"),
                Arguments.of(new float[] {0f, Float.NaN}, "logit of token 1 is NaN"),
                Arguments.of(new float[] {Float.POSITIVE_INFINITY}, "logit of token 0 is Infinity"),
                Arguments.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY},
                        "every one of the 2 logits is -Infinity"));
    }

    /** Greedy without penalties reads the logits in place; it must refuse them exactly as the full chain does. */
    @ParameterizedTest
    @MethodSource("unusableLogits")
    void everyChainRejectsUnusableLogitsNamingThem(float[] logits, String message) {
        for (SamplerConfig config : List.of(SamplerConfig.greedy(), SamplerConfig.greedy().withPenalties(1.1f, 0f,
                0f, 64), SamplerConfig.defaults())) {
            assertThatThrownBy(() -> SamplerChain.from(config).sample(logits))
                    .as("%s", config).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        }
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        int[] first = draw(SamplerChain.from(UNFILTERED.withSeed(42)), 200);
        int[] second = draw(SamplerChain.from(UNFILTERED.withSeed(42)), 200);
        int[] otherSeed = draw(SamplerChain.from(UNFILTERED.withSeed(43)), 200);
        assertThat(second).containsExactly(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void resetReplaysTheSeededSequence() {
        SamplerChain chain = SamplerChain.from(UNFILTERED.withSeed(9));
        int[] first = draw(chain, 50);
        chain.reset();
        assertThat(draw(chain, 50)).containsExactly(first);
    }

    @Test
    void drawsFollowTheSoftmaxProbabilities() {
        assertFollows(SamplerChain.from(UNFILTERED.withSeed(1)), new double[] {0.5, 0.25, 0.15, 0.1});
    }

    @Test
    void temperatureReshapesTheDistribution() {
        // At temperature 0.5 the logits double, so each probability is squared and renormalised:
        // 0.25, 0.0625, 0.0225, 0.01 over their sum 0.345.
        double[] squared = {0.25 / 0.345, 0.0625 / 0.345, 0.0225 / 0.345, 0.01 / 0.345};
        assertFollows(SamplerChain.from(UNFILTERED.withTemperature(0.5f).withSeed(2)), squared);
    }

    @Test
    void filtersRunBeforeTemperature() {
        // top-p 0.7 keeps 0.5 and 0.25 (cumulative 0.75), judged at temperature 1. A temperature of 10 applied
        // first would flatten the distribution and keep three tokens. Renormalised: 2/3 and 1/3.
        SamplerChain chain = SamplerChain.from(UNFILTERED.withTopP(0.7f).withTemperature(1f).withSeed(3));
        assertFollows(chain, new double[] {2.0 / 3, 1.0 / 3, 0, 0});
        SamplerChain hot = SamplerChain.from(UNFILTERED.withTopP(0.7f).withTemperature(10f).withSeed(3));
        assertThat(draw(hot, 2000)).containsOnly(0, 1);
    }

    @Test
    void defaultsUseTopKAndMinP() {
        // min-p 0.05 of the top 0.5 is 0.025: all four stay. top-k 1 would leave only token 0.
        SamplerChain topOne = SamplerChain.from(SamplerConfig.defaults().withTopK(1).withSeed(4));
        assertThat(draw(topOne, 500)).containsOnly(0);
        // min-p 0.45: only tokens at least 0.225 likely remain, 0.5 and 0.25.
        SamplerChain minP = SamplerChain.from(SamplerConfig.defaults().withMinP(0.45f).withSeed(4));
        assertThat(draw(minP, 2000)).containsOnly(0, 1);
    }

    static Stream<Arguments> invalidConfigs() {
        SamplerConfig d = SamplerConfig.defaults();
        return Stream.of(
                Arguments.of((Runnable) () -> d.withTemperature(-0.1f), "temperature must be >= 0 and finite, got -0.1"),
                Arguments.of((Runnable) () -> d.withTemperature(Float.NaN), "temperature must be >= 0 and finite, got NaN"),
                Arguments.of((Runnable) () -> d.withTopK(-1), "topK must be >= 0 (0 disables it), got -1"),
                Arguments.of((Runnable) () -> d.withTopP(0f), "topP must be in (0, 1], got 0.0"),
                Arguments.of((Runnable) () -> d.withTopP(1.5f), "topP must be in (0, 1], got 1.5"),
                Arguments.of((Runnable) () -> d.withMinP(-0.5f), "minP must be in [0, 1], got -0.5"),
                Arguments.of((Runnable) () -> d.withPenalties(0f, 0f, 0f, 64),
                        "repeatPenalty must be > 0 and finite (1 disables it), got 0.0"),
                Arguments.of((Runnable) () -> d.withPenalties(1f, Float.NaN, 0f, 64),
                        "frequencyPenalty must be finite, got NaN"),
                Arguments.of((Runnable) () -> d.withPenalties(1f, 0f, Float.POSITIVE_INFINITY, 64),
                        "presencePenalty must be finite, got Infinity"),
                Arguments.of((Runnable) () -> d.withPenalties(1.1f, 0f, 0f, -1),
                        "penaltyLastN must be >= 0 (0 disables penalties), got -1"));
    }

    @ParameterizedTest
    @MethodSource("invalidConfigs")
    void configRejectsOutOfRangeValuesNamingThem(Runnable build, String message) {
        assertThatThrownBy(build::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /**
     * Pearson's chi-square over 40,000 draws against the expected probabilities. With at most 3 degrees of
     * freedom the 0.1% critical value is 16.27, so a correct sampler fails this with odds under 1 in 1000 (and
     * the seed is fixed); a sampler off by a few percent on any token lands far above it. Tokens expected
     * never to appear must not appear at all.
     */
    private static void assertFollows(SamplerChain chain, double[] expected) {
        int draws = 40_000;
        int[] counts = new int[expected.length];
        for (int i = 0; i < draws; i++) {
            counts[chain.sample(LOGITS)]++;
        }
        double chiSquare = 0;
        for (int t = 0; t < expected.length; t++) {
            if (expected[t] == 0) {
                assertThat(counts[t]).as("draws of impossible token %d", t).isZero();
            } else {
                double e = expected[t] * draws;
                chiSquare += (counts[t] - e) * (counts[t] - e) / e;
            }
        }
        assertThat(chiSquare).as("chi-square of counts %s", java.util.Arrays.toString(counts)).isLessThan(16.27);
    }

    private static int[] draw(SamplerChain chain, int n) {
        return IntStream.range(0, n).map(i -> chain.sample(LOGITS)).toArray();
    }

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }
}
