package io.jllm.engine.model.real;

import io.jllm.engine.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One prompt of {@code golden/real/<model>.greedy.json}, written by {@code scripts/make-real-goldens}. */
record GreedyGolden(String model, String prompt, int[] promptTokens, int[] greedyTokens) {

    static List<GreedyGolden> of(String model) {
        String resource = "/golden/real/" + model + ".greedy.json";
        try (InputStream in = GreedyGolden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Map<String, Object> json = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return ((List<?>) json.get("cases")).stream().map(c -> {
                Map<?, ?> m = (Map<?, ?>) c;
                return new GreedyGolden(model, (String) m.get("prompt"), ints(m.get("prompt_tokens")),
                        ints(m.get("greedy_tokens")));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    @Override
    public String toString() {
        return model + " " + Json.quote(prompt);
    }
}
