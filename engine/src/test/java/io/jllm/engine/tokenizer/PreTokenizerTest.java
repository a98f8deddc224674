package io.jllm.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jllm.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Word splitting before BPE. The expected splits in tokenizer/pretokenizer-splits.json were computed from
 * llama.cpp's regex lists with Python's independent {@code regex} engine (make_pretokenizer_splits.py) on
 * llama.cpp's 46 tokenizer test strings plus cases for upper-case contractions, non-ASCII white space,
 * CRLF, non-ASCII digits and Unicode singletons.
 */
class PreTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "gpt-2", "llama-bpe", "qwen2", "starcoder", "falcon", "deepseek-llm",
            "deepseek-coder", "bloom", "viking"})
    void splitsLikeAnIndependentRegexEngine(String name) throws IOException {
        Map<String, Object> fixture = fixture();
        List<?> inputs = (List<?>) fixture.get("inputs");
        List<?> expected = (List<?>) ((Map<?, ?>) fixture.get("splits")).get(name);
        PreTokenizer pre = PreTokenizer.forName(name);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(pre.split((String) inputs.get(i))).as("%s case %d", name, i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void familiesShareTheirRegexesAndLlamaCppSettings() {
        assertThat(PreTokenizer.forName("llama3").split("I'VE 12345")).containsExactly("I", "'VE", " ", "123", "45");
        assertThat(PreTokenizer.forName("llama-bpe").ignoreMerges).isTrue();
        assertThat(PreTokenizer.forName("llama-bpe").addBos).isTrue();
        assertThat(PreTokenizer.forName("qwen2").cleanSpaces).isFalse();
        assertThat(PreTokenizer.forName("stablelm2").cleanSpaces).isTrue();
        assertThat(PreTokenizer.forName("smollm").split("abc 123")).containsExactly("abc", " ", "1", "2", "3");
        assertThat(PreTokenizer.forName("command-r").cleanSpaces).isFalse();
        assertThat(PreTokenizer.forName("gpt-2").cleanSpaces).isTrue();
    }

    @Test
    void whiteSpaceMeansUnicodeWhiteSpaceAndDollarTheEndOfThePiece() {
        assertThat(PreTokenizer.toJava("[^\\s\\p{L}]\\S$[$]"))
                .isEqualTo("[^\\p{IsWhite_Space}\\p{L}]\\P{IsWhite_Space}\\z[$]");
    }

    /** 2729 code points by Python's count of DeepSeek's ranges; each must be an upper, lower or title case letter. */
    @Test
    void deepSeekLetterClassHoldsExactlyItsCasedLetters() {
        Pattern letter = Pattern.compile(PreTokenizer.DEEPSEEK_LETTERS.substring("\\s?".length(),
                PreTokenizer.DEEPSEEK_LETTERS.length() - 1));
        List<Integer> matched = IntStream.range(0, 0x20000)
                .filter(cp -> letter.matcher(Character.toString(cp)).matches()).boxed().toList();
        assertThat(matched).hasSize(2729).allSatisfy(cp -> assertThat(Character.getType(cp)).isIn(
                (int) Character.UPPERCASE_LETTER, (int) Character.LOWERCASE_LETTER, (int) Character.TITLECASE_LETTER));
    }

    @Test
    void anUnsupportedNameIsNamedAndTheSupportedOnesListed() {
        assertThatThrownBy(() -> PreTokenizer.forName("gpt-neox"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'gpt-neox'")
                .hasMessageContaining("tokenizer.ggml.pre")
                .hasMessageContaining("llama-bpe, ")
                .hasMessageContaining("qwen2");
        assertThat(PreTokenizer.supportedNames()).contains("default", "gpt-2", "llama-bpe", "qwen2", "smollm",
                "deepseek-llm", "deepseek-coder", "falcon", "starcoder", "refact", "mpt", "phi-2", "command-r",
                "stablelm2", "olmo");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() throws IOException {
        try (InputStream in = PreTokenizerTest.class.getResourceAsStream("/tokenizer/pretokenizer-splits.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
