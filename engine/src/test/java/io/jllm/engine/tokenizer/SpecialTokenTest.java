package io.jllm.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Special tokens in the llama.cpp vocab files, split out of the text as llama.cpp's
 * {@code tokenizer_st_partition} does: control tokens only with parseSpecial, user-defined tokens always,
 * and Phi-3's special tokens swallow the white space after them (llama.cpp sets RSTRIP by model name).
 */
class SpecialTokenTest {

    @Test
    void gpt2EndOfTextIsOneTokenOnlyWhenParsingSpecialTokens() throws IOException {
        Tokenizer gpt2 = LlamaCppVocabTestFilesTest.load("gpt-2");
        assertThat(gpt2.encode("<|endoftext|>", false, true)).containsExactly(50256);
        assertThat(gpt2.encode("<|endoftext|>", false, false)).doesNotContain(50256).hasSizeGreaterThan(1);
        assertThat(gpt2.isEndOfGeneration(50256)).isTrue();
        assertThat(gpt2.decode(new int[] {50256})).isEmpty();
        assertThat(gpt2.bosToken()).isEqualTo(50256);
    }

    @Test
    void deepSeekUserDefinedTokensAreSplitOutEvenWithoutParseSpecial() throws IOException {
        Tokenizer deepseek = LlamaCppVocabTestFilesTest.load("deepseek-llm");
        assertThat(deepseek.tokenText(100002)).isEqualTo("\u00F8");
        assertThat(deepseek.encode("\u00F8", false, false)).containsExactly(100002);
        assertThat(deepseek.decode(new int[] {100002})).isEqualTo("\u00F8");
        assertThat(deepseek.encode("<\uFF5Cend\u2581of\u2581sentence\uFF5C>", false, true)).containsExactly(100001);
        assertThat(deepseek.encode("<\uFF5Cend\u2581of\u2581sentence\uFF5C>", false, false)).doesNotContain(100001);
        assertThat(deepseek.isEndOfGeneration(100001)).isTrue();
    }

    @Test
    void addSpecialFollowsTheVocabulary() throws IOException {
        Tokenizer deepseek = LlamaCppVocabTestFilesTest.load("deepseek-llm");
        assertThat(deepseek.encode("a", true, false)[0]).isEqualTo(100000);
        Tokenizer gpt2 = LlamaCppVocabTestFilesTest.load("gpt-2");
        assertThat(gpt2.encode("a", true, false)).isEqualTo(gpt2.encode("a", false, false));
    }

    @Test
    void phi3SpecialTokensSwallowTheWhiteSpaceAfterThem() throws IOException {
        Tokenizer phi3 = LlamaCppVocabTestFilesTest.load("phi-3");
        int user = 32010;
        int end = 32007;
        assertThat(phi3.tokenText(user)).isEqualTo("<|user|>");
        int[] hi = phi3.encode("Hi", false, false);
        assertThat(phi3.encode("<|user|>\n Hi<|end|>", false, true))
                .containsExactly(concat(new int[] {user}, hi, new int[] {end}));
        assertThat(phi3.isEndOfGeneration(end)).isTrue();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }
}
