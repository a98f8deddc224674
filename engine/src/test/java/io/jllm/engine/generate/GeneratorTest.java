package io.jllm.engine.generate;

import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generation loop against a scripted model: why and where it stops, and what text it streams. */
class GeneratorTest {

    private final FakeTokenizer tokenizer = new FakeTokenizer(
            "<eos>", "Hello", " world", "!", " say", " ST", "OP", "AR", "a", "xSTOPy", " then");
    private final List<String> pieces = new ArrayList<>();

    private ScriptedModel model;

    private Generator generator(int context, String... bigrams) {
        return generator(context, ScriptedModel.bigrams(tokenizer, bigrams));
    }

    private Generator generator(int context, ToIntFunction<int[]> script) {
        model = new ScriptedModel(tokenizer, 64, script);
        return Engine.of(model).newGenerator(context, SamplerConfig.greedy());
    }

    private GenerationResult run(Generator generator, String prompt, GenerateOptions options) {
        return generator.generate(prompt, options, DecodeListener.none(), pieces::add);
    }

    @Test
    void streamsUntilTheEndOfGenerationToken() {
        Generator generator = generator(16, "Hello", " world", " world", "!");
        GenerationResult result = run(generator, "Hello", GenerateOptions.maxTokens(10));

        assertThat(result.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(result.text()).isEqualTo(" world!");
        assertThat(pieces).containsExactly(" world", "!");
        assertThat(result.tokens()).containsExactly(tokenizer.ids(" world", "!"));
        // The end-of-generation token is neither output nor run: prompt, " world", "!" each ran once.
        assertThat(model.batches).containsExactly(tokenizer.ids("Hello"), tokenizer.ids(" world"), tokenizer.ids("!"));
        assertThat(generator.session().position()).isEqualTo(3);
    }

    @Test
    void stopsAtTheTokenLimitWithoutRunningTheLastToken() {
        Generator generator = generator(16, "a", "a");
        GenerationResult result = run(generator, "a", GenerateOptions.maxTokens(4));

        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(result.text()).isEqualTo("aaaa");
        // The prompt and three of the four sampled tokens went through the model; the fourth waits.
        assertThat(model.batches).hasSize(4);
        assertThat(generator.session().position()).isEqualTo(5);
        assertThat(result.timings().promptTokens()).isEqualTo(1);
        assertThat(result.timings().generatedTokens()).isEqualTo(4);
    }

    @Test
    void stopsWithAStatusWhenTheContextIsFull() {
        Generator generator = generator(4, "a", "a");
        GenerationResult result = run(generator, "a", GenerateOptions.maxTokens(GenerateOptions.UNLIMITED));

        // Four positions: the prompt and three generated tokens.
        assertThat(result.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(result.text()).isEqualTo("aaa");
        assertThat(generator.session().remaining()).isZero();
    }

    @Test
    void aPromptThatFillsTheContextLeavesNoRoomToGenerate() {
        Generator generator = generator(2, "a", "a");
        GenerationResult result = run(generator, "aa", GenerateOptions.maxTokens(5));
        assertThat(result.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(result.tokens()).isEmpty();
    }

    @Test
    void rejectsAnOverLongPromptNamingTheLengths() {
        Generator generator = generator(4, "a", "a");
        assertThatThrownBy(() -> run(generator, "aaaaa", GenerateOptions.maxTokens(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the prompt has 5 tokens but the context has room for 4 (4 in all, 0 in use)");
        assertThat(model.batches).isEmpty();
    }

    @Test
    void aSecondPromptMustFitInWhatTheFirstLeft() {
        Generator generator = generator(6, "a", "a");
        run(generator, "a", GenerateOptions.maxTokens(2));
        assertThatThrownBy(() -> run(generator, "aaaa", GenerateOptions.maxTokens(5)))
                .hasMessage("the prompt has 4 tokens but the context has room for 3 (6 in all, 3 in use)");
    }

    @Test
    void rejectsAnEmptyPrompt() {
        Generator generator = generator(4, "a", "a");
        assertThatThrownBy(() -> generator.generate(new int[0], GenerateOptions.maxTokens(5), DecodeListener.none(),
                pieces::add)).hasMessageContaining("the prompt is empty");
    }

    @Test
    void rejectsPromptTokensOutsideTheVocabulary() {
        Generator generator = generator(4, "a", "a");
        assertThatThrownBy(() -> generator.generate(new int[] {1, 99}, GenerateOptions.maxTokens(5),
                DecodeListener.none(), pieces::add))
                .hasMessage("token 99 (index 1 of 2) is outside the vocabulary [0, 11)");
    }

    @Test
    void aStopStringSpanningTokensIsNeverShown() {
        Generator generator = generator(16, "Hello", " say", " say", " ST", " ST", "OP", "OP", " then");
        GenerationResult result = run(generator, "Hello", GenerateOptions.maxTokens(10).withStopStrings("STOP"));

        assertThat(result.stopReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(result.text()).isEqualTo(" say ");
        // " ST" could begin "STOP": only its space was shown until "OP" settled it.
        assertThat(pieces).containsExactly(" say", " ");
        assertThat(result.tokens()).containsExactly(tokenizer.ids(" say", " ST", "OP"));
    }

    @Test
    void textHeldBackForAPossibleStopStringIsReleasedWhenItIsNotOne() {
        Generator generator = generator(16, "Hello", " ST", " ST", "AR", "AR", "!");
        GenerationResult result = run(generator, "Hello", GenerateOptions.maxTokens(10).withStopStrings("STOP"));

        assertThat(result.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(pieces).containsExactly(" ", "STAR", "!");
        assertThat(result.text()).isEqualTo(" STAR!");
    }

    @Test
    void textHeldBackAtTheEndIsReleased() {
        Generator generator = generator(16, "Hello", " ST");
        GenerationResult result = run(generator, "Hello", GenerateOptions.maxTokens(10).withStopStrings("STOP"));

        assertThat(result.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(pieces).containsExactly(" ", "ST");
    }

    @Test
    void aStopStringInsideOneTokenCutsTheTokenText() {
        Generator generator = generator(16, "Hello", "xSTOPy");
        GenerationResult result = run(generator, "Hello", GenerateOptions.maxTokens(10).withStopStrings("STOP"));

        assertThat(result.stopReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(result.text()).isEqualTo("x");
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() {
        Generator generator = generator(16, "Hello", "xSTOPy");
        GenerationResult result = run(generator, "Hello",
                GenerateOptions.maxTokens(10).withStopStrings("Py", "TO"));
        assertThat(result.text()).isEqualTo("xS");
    }

    @Test
    void continuesTheSameSequenceOnASecondCall() {
        Generator generator = generator(16, "Hello", " world", " world", "!", "!", " then");
        run(generator, "Hello", GenerateOptions.maxTokens(1));
        GenerationResult second = run(generator, "!", GenerateOptions.maxTokens(1));

        // The unrun " world" from the first call and the new prompt "!" go through the model together.
        assertThat(model.batches).containsExactly(tokenizer.ids("Hello"), tokenizer.ids(" world", "!"));
        assertThat(second.text()).isEqualTo(" then");
        assertThat(model.cache.tokens.toIntArray()).containsExactly(tokenizer.ids("Hello", " world", "!"));
    }

    @Test
    void onlyTheFirstPromptOfASessionGetsBos() {
        FakeTokenizer withBos = new FakeTokenizer("<eos>", "<bos>", "a");
        model = new ScriptedModel(withBos, 64, ScriptedModel.bigrams(withBos, "a", "a"));
        Generator generator = Engine.of(model).newGenerator(16, SamplerConfig.greedy());
        generator.generate("a", GenerateOptions.maxTokens(1), DecodeListener.none(), pieces::add);
        generator.generate("a", GenerateOptions.maxTokens(1), DecodeListener.none(), pieces::add);
        assertThat(model.batches.getFirst()).containsExactly(withBos.ids("<bos>", "a"));
        assertThat(model.batches.get(1)).containsExactly(withBos.ids("a", "a"));
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> GenerateOptions.maxTokens(0))
                .hasMessage("maxTokens must be >= 1 (or -1 for no limit), got 0");
        assertThatThrownBy(() -> GenerateOptions.maxTokens(5).withStopStrings("ok", ""))
                .hasMessage("stop string 1 is empty");
    }
}
