package io.jllm.engine.generate;

import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decode callback: Continue, Stop, Inject and Replace, as a tool dispatcher would use them. The scripted model
 * writes "[calc]" and then, if it sees the tool's answer "4", finishes with "!"; without the answer it goes
 * on with " wrong". So the token after an injection shows that decoding resumed from the injected tokens.
 */
class DecodeListenerTest {

    private final FakeTokenizer tokenizer = new FakeTokenizer(
            "<eos>", "Q", "[", "calc", "]", "4", "!", " wrong", "2", "+");
    private final ScriptedModel model = new ScriptedModel(tokenizer, 64, ScriptedModel.bigrams(tokenizer,
            "Q", "[", "[", "calc", "calc", "]", "]", " wrong", "4", "!", "+", "2"));
    private final Generator generator = Engine.of(model).newGenerator(16, SamplerConfig.greedy());
    private final List<Integer> seenPositions = new ArrayList<>();

    private GenerationResult run(int maxTokens, DecodeListener listener) {
        return generator.generate("Q", GenerateOptions.maxTokens(maxTokens), listener, piece -> { });
    }

    private DecodeListener injectAfter(String trigger, String... injected) {
        return (token, position, logits) -> {
            seenPositions.add(position);
            return tokenizer.tokenText(token).equals(trigger) ? Decision.inject(tokenizer.ids(injected))
                    : Decision.CONTINUE;
        };
    }

    @Test
    void withoutInjectionTheModelGoesItsOwnWay() {
        GenerationResult result = run(10, DecodeListener.none());
        assertThat(result.text()).isEqualTo("[calc] wrong");
    }

    @Test
    void injectedTokensEnterTheSameCacheAndDecodingResumesAfterThem() {
        GenerationResult result = run(10, injectAfter("]", "4"));

        assertThat(result.text()).isEqualTo("[calc]4!");
        assertThat(result.tokens()).containsExactly(tokenizer.ids("[", "calc", "]", "4", "!"));
        assertThat(result.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        // "]" and the injected "4" run through the model as one batch at positions 3 and 4.
        assertThat(model.batches).containsExactly(tokenizer.ids("Q"), tokenizer.ids("["), tokenizer.ids("calc"),
                tokenizer.ids("]", "4"), tokenizer.ids("!"));
        assertThat(model.cache.tokens.toIntArray()).containsExactly(tokenizer.ids("Q", "[", "calc", "]", "4", "!"));
        // The listener sees sampled tokens only, each at the position it takes; "4" took position 4.
        assertThat(seenPositions).containsExactly(1, 2, 3, 5);
    }

    @Test
    void injectingAtTheFirstTokenWorks() {
        GenerationResult result = run(10, injectAfter("[", "4"));
        assertThat(result.text()).isEqualTo("[4!");
    }

    @Test
    void injectingSeveralTokensContinuesFromTheLastOfThem() {
        // After "+" the script says "2", after "4" it says "!": "4" last, so "!" follows.
        GenerationResult result = run(10, injectAfter("]", "2", "+", "2", "4"));
        assertThat(result.text()).isEqualTo("[calc]2+24!");
    }

    @Test
    void injectedTokensDoNotCountAgainstTheTokenLimit() {
        GenerationResult result = run(3, injectAfter("]", "2", "+", "2"));
        // Three sampled tokens, then the injection on the third is still shown.
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(result.text()).isEqualTo("[calc]2+2");
        assertThat(result.timings().generatedTokens()).isEqualTo(3);
    }

    @Test
    void anInjectionThatDoesNotFitEndsWithAFullContext() {
        Generator small = Engine.of(model).newGenerator(5, SamplerConfig.greedy());
        // Positions: Q, [, calc, ] fill four of five; "]" plus three injected tokens would need seven.
        GenerationResult result = small.generate("Q", GenerateOptions.maxTokens(10), injectAfter("]", "2", "+", "2"),
                piece -> { });
        assertThat(result.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(result.text()).isEqualTo("[calc]");
        assertThat(small.session().position()).isEqualTo(4);
    }

    @Test
    void stopKeepsTheTokenAndRunsNothingMore() {
        GenerationResult result = run(10, (token, position, logits) ->
                tokenizer.tokenText(token).equals("calc") ? Decision.STOP : Decision.CONTINUE);
        assertThat(result.stopReason()).isEqualTo(StopReason.LISTENER_STOP);
        assertThat(result.text()).isEqualTo("[calc");
        assertThat(model.batches).containsExactly(tokenizer.ids("Q"), tokenizer.ids("["));
    }

    @Test
    void theListenerSeesTheLogitsTheTokenWasSampledFrom() {
        List<Float> logitOfToken = new ArrayList<>();
        run(10, (token, position, logits) -> {
            logitOfToken.add(logits[token]);
            return Decision.CONTINUE;
        });
        assertThat(logitOfToken).containsOnly(ScriptedModel.HIGH).hasSize(4);
    }

    @Test
    void aFailingListenerEndsTheGenerationWithItsErrorAsTheCause() {
        IllegalStateException failure = new IllegalStateException("tool crashed");
        assertThatThrownBy(() -> run(10, (token, position, logits) -> {
            if (position == 2) {
                throw failure;
            }
            return Decision.CONTINUE;
        }))
                .isInstanceOf(DecodeListenerException.class)
                .hasMessage("the decode listener failed on token 3 at position 2: "
                        + "java.lang.IllegalStateException: tool crashed")
                .hasCause(failure);
        // The failing step's token never entered the sequence.
        assertThat(generator.session().position()).isEqualTo(2);
    }

    @Test
    void aNullAnswerIsReportedClearly() {
        assertThatThrownBy(() -> run(10, (token, position, logits) -> null))
                .isInstanceOf(DecodeListenerException.class)
                .hasMessage("the decode listener answered null for token 2 at position 1; "
                        + "answer Decision.CONTINUE to go on");
    }

    @Test
    void injectingATokenOutsideTheVocabularyIsReportedAsTheListenersFault() {
        assertThatThrownBy(() -> run(10, (token, position, logits) -> Decision.inject(5, 42)))
                .isInstanceOf(DecodeListenerException.class)
                .hasMessage("the decode listener injected a bad token after token 2 at position 1: "
                        + "token 42 (index 1 of 2) is outside the vocabulary [0, 10)");
    }

    @Test
    void aReplacementTakesTheSampledTokensPlaceAndDecodingGoesOnFromIt() {
        // The script would write "[" after "Q"; the listener puts "4" there instead, and "!" follows "4".
        GenerationResult result = run(10, (token, position, logits) ->
                tokenizer.tokenText(token).equals("[") ? Decision.replace(tokenizer.id("4")) : Decision.CONTINUE);

        assertThat(result.text()).isEqualTo("4!");
        assertThat(result.tokens()).containsExactly(tokenizer.ids("4", "!"));
        assertThat(model.cache.tokens.toIntArray()).containsExactly(tokenizer.ids("Q", "4", "!"));
        // Sampled: "[" (replaced), "!" and the end of generation.
        assertThat(result.timings().generatedTokens()).isEqualTo(3);
    }

    @Test
    void replacingByATokenOutsideTheVocabularyIsReportedAsTheListenersFault() {
        assertThatThrownBy(() -> run(10, (token, position, logits) -> Decision.replace(42)))
                .isInstanceOf(DecodeListenerException.class)
                .hasMessage("the decode listener replaced token 2 at position 1 by a bad token: "
                        + "token 42 (index 0 of 1) is outside the vocabulary [0, 10)");
        assertThat(generator.session().position()).isEqualTo(1);
    }

    @Test
    void injectHoldsACopyOfAtLeastOneToken() {
        int[] tokens = {1, 2};
        Decision.Inject inject = new Decision.Inject(tokens);
        tokens[0] = 9;
        assertThat(inject.tokens()).containsExactly(1, 2);
        assertThat(inject).isEqualTo(Decision.inject(1, 2));
        assertThatThrownBy(() -> Decision.inject()).hasMessageContaining("at least one token");
    }
}
