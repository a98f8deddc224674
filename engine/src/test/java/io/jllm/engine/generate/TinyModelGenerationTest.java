package io.jllm.engine.generate;

import io.jllm.engine.json.Json;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sessions over the real tiny llama model (token ids only: no tokenizer is wired to models yet), checked
 * against llama.cpp's greedy continuation in {@code llama-f32.gguf.golden.json}.
 */
class TinyModelGenerationTest {

    private static int[] prompt;
    private static int[] greedy;

    @BeforeAll
    static void readGolden() throws IOException {
        Map<String, Object> golden = Json.parseObject(
                Files.readString(SharedTestData.tiny("llama-f32.gguf.golden.json")));
        prompt = ints(golden.get("prompt_tokens"));
        greedy = ints(golden.get("greedy_tokens"));
    }

    private static Engine load() throws IOException {
        return Engine.load(SharedTestData.tiny("llama-f32.gguf"), ModelOptions.defaults().withThreads(2));
    }

    @Test
    void greedyDecodingReproducesLlamaCpp() throws IOException {
        try (Engine engine = load()) {
            Session session = engine.newSession(512, SamplerConfig.greedy());
            session.prefill(prompt);
            int[] tokens = new int[greedy.length];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = session.decode();
            }
            assertThat(tokens).containsExactly(greedy);
        }
    }

    @Test
    void injectingIntoTheCacheEqualsPrefillingTheWholeSequence() throws IOException {
        try (Engine engine = load()) {
            Session decoded = engine.newSession(512, SamplerConfig.greedy());
            decoded.prefill(prompt);
            decoded.decode();
            decoded.decode();
            int[] injected = {300, 301, 302};
            decoded.append(injected);

            int[] whole = concat(prompt, Arrays.copyOf(greedy, 2), injected);
            Session fresh = engine.newSession(512, SamplerConfig.greedy());
            fresh.prefill(whole);

            assertThat(decoded.position()).isEqualTo(whole.length);
            assertThat(decoded.logits()).containsExactly(fresh.logits(), within(1e-4f));
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensOnARealModel() throws IOException {
        try (Engine engine = load()) {
            SamplerConfig sampling = SamplerConfig.defaults().withTemperature(1.5f).withSeed(11);
            int[] first = sample(engine, sampling, 24);
            assertThat(sample(engine, sampling, 24)).containsExactly(first);
            // The random model's logits are nearly flat, so a real draw strays from the greedy path.
            assertThat(first).isNotEqualTo(Arrays.copyOf(greedy, 24));
        }
    }

    private static int[] sample(Engine engine, SamplerConfig sampling, int count) {
        Session session = engine.newSession(512, sampling);
        session.prefill(prompt);
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = session.decode();
        }
        return tokens;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(n -> ((Number) n).intValue()).toArray();
    }
}
