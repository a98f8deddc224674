package io.jllm.engine.generate;

import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session driven by hand: prefill, sample, decode, reset. */
class SessionTest {

    private final FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "a", "b", "c");
    private final ScriptedModel model = new ScriptedModel(tokenizer, 8,
            ScriptedModel.bigrams(tokenizer, "a", "b", "b", "c", "c", "a"));
    private final Engine engine = Engine.of(model);
    private final Session session = engine.newSession(4, SamplerConfig.greedy());

    @Test
    void decodeSamplesFromTheLastLogitsAndExtendsTheSequence() {
        session.prefill(tokenizer.ids("a"));
        assertThat(session.decode()).isEqualTo(tokenizer.id("b"));
        assertThat(session.decode()).isEqualTo(tokenizer.id("c"));
        assertThat(session.position()).isEqualTo(3);
        assertThat(session.remaining()).isEqualTo(1);
        assertThat(model.cache.tokens.toIntArray()).containsExactly(tokenizer.ids("a", "b"));
    }

    @Test
    void sampleDoesNotExtendTheSequence() {
        session.prefill(tokenizer.ids("a"));
        assertThat(session.sample()).isEqualTo(tokenizer.id("b"));
        assertThat(session.position()).isEqualTo(1);
    }

    @Test
    void appendedTokensRunInOneBatchWhenLogitsAreNeeded() {
        session.append(tokenizer.ids("a"));
        session.append(tokenizer.ids("b"));
        assertThat(model.batches).isEmpty();
        assertThat(session.logits()[tokenizer.id("c")]).isEqualTo(ScriptedModel.HIGH);
        assertThat(model.batches).containsExactly(tokenizer.ids("a", "b"));
    }

    @Test
    void logitsAreTheCallersCopyAndOutliveTheNextToken() {
        session.prefill(tokenizer.ids("a"));
        float[] afterA = session.logits();
        afterA[tokenizer.id("c")] = 99f;
        assertThat(session.logits()[tokenizer.id("c")]).isZero();
        session.decode();
        assertThat(session.logits()[tokenizer.id("c")]).isEqualTo(ScriptedModel.HIGH);
        assertThat(afterA[tokenizer.id("b")]).isEqualTo(ScriptedModel.HIGH);
    }

    @Test
    void resetEmptiesTheSequence() {
        session.prefill(tokenizer.ids("a", "b"));
        session.reset();
        assertThat(session.position()).isZero();
        assertThat(session.tokens()).isEmpty();
        assertThat(model.cache.length()).isZero();
        assertThatThrownBy(session::sample).isInstanceOf(IllegalStateException.class)
                .hasMessage("nothing to sample from: the sequence is empty; prefill a prompt first");
    }

    @Test
    void truncateKeepsThePrefixInTheCacheAndRunsOnlyWhatFollows() {
        session.prefill(tokenizer.ids("a", "b", "c"));
        session.truncate(1);
        assertThat(session.tokens()).containsExactly(tokenizer.ids("a"));
        assertThat(model.cache.tokens.toIntArray()).containsExactly(tokenizer.ids("a"));
        session.prefill(tokenizer.ids("c"));
        assertThat(model.batches).containsExactly(tokenizer.ids("a", "b", "c"), tokenizer.ids("c"));
        assertThat(session.sample()).isEqualTo(tokenizer.id("a"));
    }

    @Test
    void truncateAlsoCutsPendingTokens() {
        session.prefill(tokenizer.ids("a"));
        session.append(tokenizer.ids("b", "c"));
        session.truncate(2);
        assertThat(session.tokens()).containsExactly(tokenizer.ids("a", "b"));
        assertThat(session.sample()).isEqualTo(tokenizer.id("c"));
        assertThat(model.batches).containsExactly(tokenizer.ids("a"), tokenizer.ids("b"));
        assertThatThrownBy(() -> session.truncate(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot truncate to 3 tokens: the sequence has 2");
    }

    @Test
    void aCutInsideWhatRanThroughTheModelLeavesNoLogitsUntilATokenIsAdded() {
        session.prefill(tokenizer.ids("a", "b"));
        session.truncate(1);
        assertThatThrownBy(session::sample).isInstanceOf(IllegalStateException.class)
                .hasMessage("nothing to sample from: the sequence was truncated; add a token first");
    }

    @Test
    void truncateForgetsTheDroppedTokensInThePenalties() {
        // As in thePenaltiesSeeThePrompt: "b" in the context plus the penalties push "b" below "<eos>" after
        // "a". Once the "b" is truncated away, "b" follows "a" again.
        Session penalised = engine.newSession(4, SamplerConfig.greedy().withPenalties(20f, 0f, 1f, 64));
        penalised.prefill(tokenizer.ids("c", "b"));
        penalised.truncate(1);
        penalised.prefill(tokenizer.ids("a"));
        assertThat(penalised.sample()).isEqualTo(tokenizer.id("b"));
    }

    @Test
    void refusesTokensBeyondTheCapacity() {
        session.prefill(tokenizer.ids("a", "b", "c"));
        assertThatThrownBy(() -> session.prefill(tokenizer.ids("a", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot add 2 tokens at position 3: the context holds 4 (1 left)");
        session.decode();
        assertThatThrownBy(session::decode).isInstanceOf(IllegalStateException.class)
                .hasMessage("the context is full (4 tokens)");
    }

    @Test
    void thePenaltiesSeeThePrompt() {
        // After "a" the script favours "b" (logit 10, the rest 0). With "b" in the prompt and a repeat penalty
        // of 20, its logit becomes 10 / 20 = 0.5, still above 0: "b" again. With presence penalty 1 on top,
        // 0.5 - 1 = -0.5 falls below the untouched 0 of "<eos>" (id 0, first of the zeros).
        Session penalised = engine.newSession(4, SamplerConfig.greedy().withPenalties(20f, 0f, 1f, 64));
        penalised.prefill(tokenizer.ids("b", "a"));
        assertThat(penalised.sample()).isEqualTo(tokenizer.id("<eos>"));
        Session mild = engine.newSession(4, SamplerConfig.greedy().withPenalties(20f, 0f, 0f, 64));
        mild.prefill(tokenizer.ids("b", "a"));
        assertThat(mild.sample()).isEqualTo(tokenizer.id("b"));
    }

    @Test
    void theEngineChecksTheContextLengthAndClosesTheModel() {
        assertThatThrownBy(() -> engine.newSession(9, SamplerConfig.greedy()))
                .hasMessage("context length must be between 1 and the model's trained context of 8, got 9");
        assertThatThrownBy(() -> engine.newSession(0, SamplerConfig.greedy()))
                .hasMessageContaining("got 0");
        engine.close();
        assertThat(model.closed).isTrue();
    }

    @Test
    void timingsTurnIntoTokensPerSecond() {
        // 10 prompt tokens in 0.5 s = 20 tokens/s; 3 tokens in 1.5 s = 2 tokens/s; no time measured = 0.
        Timings timings = new Timings(10, 500_000_000L, 3, 1_500_000_000L);
        assertThat(timings.promptTokensPerSecond()).isEqualTo(20.0);
        assertThat(timings.generationTokensPerSecond()).isEqualTo(2.0);
        assertThat(new Timings(0, 0, 0, 0).generationTokensPerSecond()).isZero();
    }
}
