package io.jllm.engine.cli;

import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * llama.cpp's perplexity algorithm on a scripted model that always gives "a" logit 10 and every other token 0,
 * so each scored token's probability is known in closed form.
 */
class PerplexityTest {
    private final FakeTokenizer tokenizer = new FakeTokenizer("<bos>", "a", "b", "c");
    private final ScriptedModel model = new ScriptedModel(tokenizer, 64, sequence -> tokenizer.id("a"));
    /** -log p for the predicted token and for any other one, over a vocabulary of 4. */
    private final double hit = Math.log(Math.exp(10) + 3) - 10;
    private final double miss = Math.log(Math.exp(10) + 3);

    @Test
    void scoresTheSecondHalfOfEveryChunkWhichStartsWithBos() {
        int[] tokens = tokenizer.ids("<bos>", "a", "b", "a", "c", "a", "a", "b");
        List<Perplexity.Progress> progress = new ArrayList<>();

        Perplexity.Result result = new Perplexity(model, 4, 3).compute(tokens, tokenizer.id("<bos>"), 2,
                progress::add);

        // ctx 4: position 2 of each chunk predicts position 3: "a" (hit) in the first, "b" (miss) in the second
        assertThat(result.scoredTokens()).isEqualTo(2);
        assertThat(result.perplexity()).isCloseTo(Math.exp((hit + miss) / 2), within(1e-9));
        assertThat(progress).extracting(Perplexity.Progress::perplexity)
                .containsExactly(Math.exp(hit), Math.exp((hit + miss) / 2));
        assertThat(model.batches).as("forward calls of at most 3 tokens, each chunk from BOS").containsExactly(
                tokenizer.ids("<bos>", "a", "b"), tokenizer.ids("a"),
                tokenizer.ids("<bos>", "a", "a"), tokenizer.ids("b"));
    }

    @Test
    void withoutBosEachChunkKeepsItsFirstToken() {
        int[] tokens = tokenizer.ids("c", "a", "b", "a", "c", "a", "a", "b");
        new Perplexity(model, 4, 4).compute(tokens, -1, 2, p -> { });
        assertThat(model.batches.get(1)).containsExactly(tokenizer.ids("c", "a", "a", "b"));
    }

    @Test
    void aTextShorterThanTwoChunksIsRefused() {
        assertThatThrownBy(() -> new Perplexity(model, 4, 4).compute(tokenizer.ids("a", "b", "c", "a", "b"), 0, 1,
                p -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the text tokenizes to only 5 tokens; perplexity with a context of 4 needs at least 8");
    }

    @Test
    void aContextBeyondTheModelsIsRefused() {
        assertThatThrownBy(() -> new Perplexity(model, 128, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context 128 exceeds the model's trained context of 64 tokens");
    }
}
