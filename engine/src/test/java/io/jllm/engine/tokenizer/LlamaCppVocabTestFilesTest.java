package io.jllm.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jllm.engine.cli.Main;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.testing.SharedTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's tokenizer test files (vocab/X.gguf.inp and X.gguf.out): the expected ids come from each
 * model's Hugging Face tokenizer with {@code add_special_tokens=False}, so encoding is without BOS/EOS
 * and with special-token text treated as plain text.
 */
class LlamaCppVocabTestFilesTest {

    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm"})
    void everyTestCaseEncodesToTheReferenceIds(String vocab) throws IOException {
        Tokenizer tokenizer = load(vocab);
        List<String> inputs = inputs(vocab);
        List<int[]> expected = expectedIds(vocab);
        assertThat(inputs).hasSize(46).hasSameSizeAs(expected);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(tokenizer.encode(inputs.get(i), false, false))
                    .as("case %d %s", i, quoted(inputs.get(i)))
                    .containsExactly(expected.get(i));
        }
    }

    /**
     * Decoding gives the input back. The exception is the reference's own: GPT-2 decodes with
     * clean_up_tokenization_spaces, which drops the space in " ?", " !", " .", " ," and before "'s", "'m",
     * "'re", "'ve"; for those cases the token bytes themselves must still spell the input.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm"})
    void decodingTheReferenceIdsGivesTheInputBack(String vocab) throws IOException {
        Tokenizer tokenizer = load(vocab);
        List<String> inputs = inputs(vocab);
        List<int[]> expected = expectedIds(vocab);
        boolean cleansSpaces = vocab.equals("gpt-2");
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            int[] ids = expected.get(i);
            if (cleansSpaces && CLEANED_BY_GPT2.matcher(input).find()) {
                assertThat(concatenatedBytes(tokenizer, ids)).as("case %d bytes", i).isEqualTo(input);
                assertThat(tokenizer.decode(ids)).as("case %d", i).isNotEqualTo(input);
            } else {
                assertThat(tokenizer.decode(ids)).as("case %d %s", i, quoted(input)).isEqualTo(input);
            }
        }
    }

    private static final Pattern CLEANED_BY_GPT2 = Pattern.compile(" [?!.,]| '(s|m|re|ve)| ' ");

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm"})
    void tokenizeCommandReproducesTheOutFileByteForByte(String vocab) throws IOException {
        Path gguf = SharedTestData.vocab("ggml-vocab-" + vocab + ".gguf");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of("tokenize", "-m", gguf.toString(), "--file", gguf + ".inp"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(Path.of(gguf + ".out")));
    }

    static Tokenizer load(String vocab) throws IOException {
        try (GgufFile file = GgufFile.open(SharedTestData.vocab("ggml-vocab-" + vocab + ".gguf"))) {
            return Tokenizers.fromGguf(file);
        }
    }

    static List<String> inputs(String vocab) throws IOException {
        String content = Files.readString(SharedTestData.vocab("ggml-vocab-" + vocab + ".gguf.inp"));
        List<String> cases = new ArrayList<>(Arrays.asList(content.split(Pattern.quote(SEPARATOR), -1)));
        assertThat(cases.removeLast()).isEmpty();
        return cases;
    }

    private static List<int[]> expectedIds(String vocab) throws IOException {
        return Files.readAllLines(SharedTestData.vocab("ggml-vocab-" + vocab + ".gguf.out")).stream()
                .map(String::trim)
                .map(line -> line.isEmpty() ? new int[0]
                        : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray())
                .toList();
    }

    private static String concatenatedBytes(Tokenizer tokenizer, int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            bytes.writeBytes(tokenizer.tokenBytes(id));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return "'" + s.replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
