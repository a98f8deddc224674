package io.jllm.engine.cli;

import io.jllm.engine.json.Json;
import io.jllm.engine.json.JsonNumber;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code jllm logits} prints llama.cpp's logits for the golden prompt and refuses bad input with a message. */
class LogitsCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final String model = SharedTestData.tiny("llama-f32.gguf").toString();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void jsonHoldsTheGoldenLogitsOfEveryPosition() throws IOException {
        Map<String, Object> golden = Json.parseObject(Files.readString(SharedTestData.tiny("llama-f32.gguf.golden.json")));
        List<?> prompt = (List<?>) golden.get("prompt_tokens");
        String ids = String.join(",", prompt.stream().map(Object::toString).toList());

        assertThat(run("logits", "-m", model, "--tokens", ids, "--json", "-t", "2")).isZero();

        Map<String, Object> printed = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        assertThat(((JsonNumber) printed.get("n_vocab")).intValue()).isEqualTo(512);
        List<?> rows = (List<?>) printed.get("logits");
        List<?> goldenRows = (List<?>) golden.get("logits");
        assertThat(rows).hasSize(prompt.size());
        for (int p = 0; p < rows.size(); p++) {
            List<?> row = (List<?>) rows.get(p);
            List<?> goldenRow = (List<?>) goldenRows.get(p);
            assertThat(row).hasSize(512);
            for (int v = 0; v < 512; v++) {
                assertThat(((JsonNumber) row.get(v)).floatValue())
                        .isCloseTo(((JsonNumber) goldenRow.get(v)).floatValue(),
                                within(2e-4f));
            }
        }
    }

    @Test
    void textPrintsOneLinePerPosition() {
        assertThat(run("logits", "-m", model, "--tokens", "1,48,396")).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).startsWith("position 2 token 396: ");
        assertThat(lines[2].substring(lines[2].indexOf(':') + 2).split(" ")).hasSize(512);
    }

    @Test
    void outOfRangeTokenIsNamed() {
        assertThat(run("logits", "-m", model, "--tokens", "1,512")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("token id 512 is out of range")
                .contains("512 tokens");
    }

    @Test
    void malformedTokenListIsAUsageError() {
        assertThat(run("logits", "-m", model, "--tokens", "1,x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'x' is not a token id");
    }

    @Test
    void missingModelFileIsNamed() {
        assertThat(run("logits", "-m", "/nonexistent/model.gguf", "--tokens", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/model.gguf")
                .contains("model file not found");
    }
}
