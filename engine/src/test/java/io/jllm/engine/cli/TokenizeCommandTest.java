package io.jllm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jllm.gguf.testing.SharedTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jllm tokenize} on the tiny SentencePiece vocabulary (ids from tiny/tokenizer-golden.json). */
class TokenizeCommandTest {
    private static final String MODEL = SharedTestData.tiny("llama-f32.gguf").toString();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void textIsTokenizedWithBosAndPrintedSpaceSeparated() {
        assertThat(run("tokenize", "-m", MODEL, "--text", "Hello world")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1 438 472 443 350 453 303 415\n");
    }

    @Test
    void textParsesSpecialTokenText() {
        assertThat(run("tokenize", "-m", MODEL, "--text", "</s>")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1 2\n");
    }

    @Test
    void showPiecesPrintsEachTokenWithItsText() {
        assertThat(run("tokenize", "-m", MODEL, "--text", "caf\u00E9", "--show-pieces")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(6)
                .startsWith("     1 -> '<s>'");
    }

    @Test
    void aMissingModelFileIsNamed() {
        assertThat(run("tokenize", "-m", "/no/such/model.gguf", "--text", "x")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("model file not found: /no/such/model.gguf");
    }

    @Test
    void aModelWithoutTokenizerMetadataIsReported(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.gguf");
        Files.write(empty, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x46554747).putInt(3).putLong(0).putLong(0).array());
        assertThat(run("tokenize", "-m", empty.toString(), "--text", "x")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no tokenizer").contains("tokenizer.ggml.model");
    }

    @Test
    void aMissingTestFileIsNamed() {
        assertThat(run("tokenize", "-m", MODEL, "--file", "/no/such.inp")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("test file not found: /no/such.inp");
    }

    @Test
    void textAndFileTogetherAreAUsageError() {
        assertThat(run("tokenize", "-m", MODEL, "--text", "x", "--file", "y")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exactly one of --text TEXT and --file FILE");
    }

    @Test
    void aMissingModelOptionIsAUsageError() {
        assertThat(run("tokenize", "--text", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing -m MODEL");
    }
}
