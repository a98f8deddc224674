package io.jllm.engine.model;

import io.jllm.engine.json.Json;
import io.jllm.engine.json.JsonNumber;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One {@code X.gguf.golden.json} written by llama.cpp (see shared/testdata/README.md). */
record Golden(int vocabSize, int[] promptTokens, float[][] logits, int[] argmax, int[] greedyTokens) {

    static Golden of(Path model) throws IOException {
        Map<String, Object> json = Json.parseObject(Files.readString(Path.of(model + ".golden.json")));
        List<?> rows = (List<?>) json.get("logits");
        float[][] logits = new float[rows.size()][];
        for (int p = 0; p < logits.length; p++) {
            List<?> row = (List<?>) rows.get(p);
            logits[p] = new float[row.size()];
            for (int v = 0; v < row.size(); v++) {
                logits[p][v] = ((JsonNumber) row.get(v)).floatValue();
            }
        }
        return new Golden(((JsonNumber) json.get("n_vocab")).intValue(), ints(json.get("prompt_tokens")), logits,
                ints(json.get("argmax")), ints(json.get("greedy_tokens")));
    }

    /** The best logit minus the second best at {@code position}: how safe the argmax is from rounding. */
    float margin(int position) {
        float best = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (float v : logits[position]) {
            if (v > best) {
                second = best;
                best = v;
            } else if (v > second) {
                second = v;
            }
        }
        return best - second;
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((JsonNumber) o).intValue()).toArray();
    }
}
