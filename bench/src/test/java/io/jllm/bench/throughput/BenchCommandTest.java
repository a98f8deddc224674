package io.jllm.bench.throughput;

import io.jllm.engine.cli.Main;
import io.jllm.engine.json.Json;
import io.jllm.engine.json.JsonNumber;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code jllm bench} end to end on the tiny Q4_0 fixture (context 512). */
class BenchCommandTest {

    private static final String MODEL = SharedTestData.tiny("llama-q4_0-pure.gguf").toString();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonGivesEveryRepetitionOfBothTests() {
        assertThat(run("bench", "-m", MODEL, "-p", "8", "-n", "4", "-r", "2", "-t", "2", "--json")).isZero();

        Map<String, Object> o = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        assertThat(o).containsEntry("engine", "jllm").containsEntry("model", MODEL).containsEntry("executor", "spinning");
        assertThat(number(o.get("threads"))).isEqualTo(2);
        assertThat(number(o.get("load_ms"))).isPositive();
        assertThat(number(o.get("first_token_ms"))).isPositive();
        for (String test : List.of("pp", "tg")) {
            Map<String, Object> t = (Map<String, Object>) o.get(test);
            assertThat(number(t.get("tokens"))).isEqualTo(test.equals("pp") ? 8 : 4);
            List<Object> samples = (List<Object>) t.get("samples_tps");
            assertThat(samples).hasSize(2).allSatisfy(s -> assertThat(number(s)).isPositive());
            double mean = (number(samples.get(0)) + number(samples.get(1))) / 2;
            assertThat(number(t.get("mean_tps"))).isCloseTo(mean, within(1e-9 * mean));
        }
    }

    @Test
    void theTableNamesTheModelAndBothTests() {
        assertThat(run("bench", "-m", MODEL, "-p", "4", "-n", "2", "-r", "1", "-t", "1", "--executor", "serial"))
                .isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| model | size | params | engine | threads | test | t/s |")
                .contains("| llama-q4_0-pure.gguf |").contains("| jllm (serial) | 1 | pp4 |")
                .contains("| tg2 |").contains("load ").contains("first token (pp4, cold)");
    }

    @Test
    void aPromptLongerThanTheContextIsAClearError() {
        assertThat(run("bench", "-m", MODEL, "-p", "600", "-n", "4")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("600 positions").contains("holds 512");
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertThat(run("bench", "-m", MODEL, "-r", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("repetitions must be at least 1");
        err.reset();
        assertThat(run("bench", "-m", MODEL, "--executor", "fibers")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown executor 'fibers'");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThat(run("bench", "-m", "/nonexistent/model.gguf")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/model.gguf");
    }

    private static double number(Object value) {
        return ((JsonNumber) value).doubleValue();
    }
}
