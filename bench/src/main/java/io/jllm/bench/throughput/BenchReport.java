package io.jllm.bench.throughput;

import io.jllm.engine.json.Json;
import io.jllm.engine.parallel.ExecutorKind;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link BenchResult} as a llama-bench style markdown table or as one JSON object. */
record BenchReport(ModelSummary model, Path path, int threads, ExecutorKind executor, BenchSettings settings,
                   BenchResult result) {

    String markdown() {
        String engine = "jllm (" + executor.name().toLowerCase(Locale.ROOT) + ")";
        String prefix = String.format(Locale.ROOT, "| %s | %.2f GiB | %.2f B | %s | %d |", model.name(),
                model.fileBytes() / (double) (1L << 30), model.parameters() / 1e9, engine, threads);
        return String.join("\n",
                "| model | size | params | engine | threads | test | t/s |",
                "| --- | ---: | ---: | --- | ---: | --- | ---: |",
                prefix + " pp" + settings.promptTokens() + " | " + rate(result.prompt()) + " |",
                prefix + " tg" + settings.genTokens() + " | " + rate(result.generation()) + " |",
                "",
                String.format(Locale.ROOT, "load %.0f ms, first token (pp%d, cold) %.0f ms, %d repetitions after a warm-up",
                        result.loadMillis(), settings.promptTokens(), result.firstTokenMillis(),
                        settings.repetitions()),
                "");
    }

    String json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("engine", "jllm");
        o.put("model", path.toString());
        o.put("file_bytes", model.fileBytes());
        o.put("parameters", model.parameters());
        o.put("threads", threads);
        o.put("executor", executor.name().toLowerCase(Locale.ROOT));
        o.put("load_ms", result.loadMillis());
        o.put("first_token_ms", result.firstTokenMillis());
        o.put("pp", test(settings.promptTokens(), result.prompt()));
        o.put("tg", test(settings.genTokens(), result.generation()));
        return Json.write(o) + "\n";
    }

    private static Map<String, Object> test(int tokens, Stats stats) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tokens", tokens);
        o.put("mean_tps", stats.mean());
        o.put("sd_tps", stats.standardDeviation());
        o.put("samples_tps", Arrays.stream(stats.samples()).boxed().toList());
        return o;
    }

    private static String rate(Stats stats) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", stats.mean(), stats.standardDeviation());
    }
}
