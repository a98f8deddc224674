package io.jllm.engine.model.real;

import io.jllm.engine.cli.Main;
import io.jllm.engine.json.Json;
import io.jllm.engine.testing.RealModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code jllm perplexity} on {@code perplexity/shakespeare.txt} is within 1% of llama.cpp's value for the
 * same chunks ({@code perplexity/llama-cpp-perplexity.json}, written by
 * {@code scripts/make-perplexity-reference}). Only the first few chunks are scored to keep CI short.
 */
@Tag("models")
class RealModelPerplexityTest {
    private static final Pattern FINAL = Pattern.compile("Final estimate: PPL = ([0-9.]+) \\+/- ([0-9.]+)");

    static List<String> models() {
        return RealModels.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesLlamaCpp(String name) throws IOException, URISyntaxException {
        Map<String, Object> reference = reference();
        Map<?, ?> expected = (Map<?, ?>) ((Map<?, ?>) reference.get("models")).get(name);
        Path text = Path.of(RealModelPerplexityTest.class.getResource("/perplexity/shakespeare.txt").toURI());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();

        int status = Main.run(List.of("perplexity", "-m", RealModels.path(name).toString(), "-f", text.toString(),
                        "--ctx", reference.get("n_ctx").toString(), "--chunks", reference.get("chunks").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        Matcher m = FINAL.matcher(printed);
        assertThat(m.find()).as("final estimate in %s", printed).isTrue();
        double ours = Double.parseDouble(m.group(1));
        double llama = ((Number) expected.get("perplexity")).doubleValue();
        System.out.printf("%s: perplexity %.4f, llama.cpp %.4f (%+.2f%%), %s chunks of %s in %.1f s%n", name, ours,
                llama, 100 * (ours / llama - 1), reference.get("chunks"), reference.get("n_ctx"),
                (System.nanoTime() - start) / 1e9);
        assertThat(ours).isCloseTo(llama, within(0.01 * llama));
    }

    private static Map<String, Object> reference() throws IOException {
        try (InputStream in = RealModelPerplexityTest.class.getResourceAsStream(
                "/perplexity/llama-cpp-perplexity.json")) {
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
