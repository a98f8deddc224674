package io.jllm.bench.throughput;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;

import java.util.function.LongSupplier;

/**
 * The llama-bench measurement on a loaded model. pp: one forward pass of the whole prompt into an empty cache
 * (logits of its last token). tg: single-token forward passes from an empty cache. One untimed run of each
 * (the first one's time is reported as time to first token) comes before the timed repetitions.
 */
final class ThroughputBenchmark {
    private final LanguageModel model;
    private final BenchSettings settings;
    private final LongSupplier nanoClock;

    ThroughputBenchmark(LanguageModel model, BenchSettings settings, LongSupplier nanoClock) {
        if (settings.cacheLength() > model.contextLength()) {
            throw new IllegalArgumentException("the test needs " + settings.cacheLength()
                    + " positions but the model's context holds " + model.contextLength());
        }
        this.model = model;
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    BenchResult run(double loadMillis) {
        int[] prompt = BenchTokens.ids(settings.promptTokens(), model.vocabularySize());
        int[] generated = BenchTokens.ids(settings.genTokens(), model.vocabularySize());
        KvCache cache = model.newCache(settings.cacheLength());
        double firstTokenMillis = prefill(prompt, cache) / 1e6;
        generate(generated, cache);
        double[] pp = new double[settings.repetitions()];
        for (int r = 0; r < pp.length; r++) {
            pp[r] = prompt.length / (prefill(prompt, cache) / 1e9);
        }
        double[] tg = new double[settings.repetitions()];
        for (int r = 0; r < tg.length; r++) {
            tg[r] = generated.length / (generate(generated, cache) / 1e9);
        }
        return new BenchResult(loadMillis, firstTokenMillis, new Stats(pp), new Stats(tg));
    }

    /** Nanoseconds of one prefill of {@code tokens} into the emptied cache. */
    private long prefill(int[] tokens, KvCache cache) {
        cache.truncate(0);
        long start = nanoClock.getAsLong();
        model.forward(tokens, cache, false);
        return nanoClock.getAsLong() - start;
    }

    /** Nanoseconds of one single-token forward pass per token, from the emptied cache. */
    private long generate(int[] tokens, KvCache cache) {
        cache.truncate(0);
        int[] one = new int[1];
        long start = nanoClock.getAsLong();
        for (int token : tokens) {
            one[0] = token;
            model.forward(one, cache, false);
        }
        return nanoClock.getAsLong() - start;
    }
}
