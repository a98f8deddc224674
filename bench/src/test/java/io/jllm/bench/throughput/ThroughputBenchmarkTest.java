package io.jllm.bench.throughput;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The measurement protocol on a scripted model whose forward pass advances a fake clock by a known cost: the
 * rates must come out as tokens over that cost, and the model must see llama-bench's sequence of calls.
 */
class ThroughputBenchmarkTest {

    /** Each forward pass costs a fixed 5 ms plus 1 ms per token. */
    private static final long PASS_NANOS = 5_000_000;
    private static final long TOKEN_NANOS = 1_000_000;

    @Test
    void ratesAreTokensOverTheTimeOfTheirForwardPasses() {
        ScriptedModel model = new ScriptedModel(512);
        BenchResult result = new ThroughputBenchmark(model, new BenchSettings(16, 4, 3), model::now).run(12.5);

        double promptSeconds = (PASS_NANOS + 16 * TOKEN_NANOS) / 1e9;
        double generationSeconds = 4 * (PASS_NANOS + TOKEN_NANOS) / 1e9;
        assertThat(boxed(result.prompt().samples())).hasSize(3)
                .allSatisfy(s -> assertThat(s).isCloseTo(16 / promptSeconds, within(1e-9)));
        assertThat(boxed(result.generation().samples())).hasSize(3)
                .allSatisfy(s -> assertThat(s).isCloseTo(4 / generationSeconds, within(1e-9)));
        assertThat(result.firstTokenMillis()).isCloseTo(promptSeconds * 1e3, within(1e-9));
        assertThat(result.loadMillis()).isEqualTo(12.5);
    }

    @Test
    void everyTestStartsFromAnEmptyCacheAfterOneWarmUpOfEach() {
        ScriptedModel model = new ScriptedModel(512);
        new ThroughputBenchmark(model, new BenchSettings(3, 2, 2), model::now).run(0);

        List<String> prompt = List.of("3 tokens at 0");
        List<String> generation = List.of("1 token at 0", "1 token at 1");
        List<String> expected = new ArrayList<>();
        expected.addAll(prompt);
        expected.addAll(generation);
        expected.addAll(prompt);
        expected.addAll(prompt);
        expected.addAll(generation);
        expected.addAll(generation);
        assertThat(model.calls).containsExactlyElementsOf(expected);
    }

    @Test
    void aTestLongerThanTheContextIsRefusedUpFront() {
        ScriptedModel model = new ScriptedModel(64);
        assertThatThrownBy(() -> new ThroughputBenchmark(model, new BenchSettings(65, 8, 1), model::now))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65 positions").hasMessageContaining("holds 64");
    }

    private static List<Double> boxed(double[] samples) {
        return Arrays.stream(samples).boxed().toList();
    }

    private static final class ScriptedModel implements LanguageModel {
        final List<String> calls = new ArrayList<>();
        private final int context;
        private long clock;

        ScriptedModel(int context) {
            this.context = context;
        }

        long now() {
            return clock;
        }

        @Override
        public int vocabularySize() {
            return 512;
        }

        @Override
        public int contextLength() {
            return context;
        }

        @Override
        public Tokenizer tokenizer() {
            throw new UnsupportedOperationException("the benchmark needs no tokenizer");
        }

        @Override
        public KvCache newCache(int capacity) {
            return new Cache(capacity);
        }

        @Override
        public float[][] forward(int[] tokens, KvCache cache, boolean allLogits) {
            assertThat(allLogits).isFalse();
            assertThat(Arrays.stream(tokens).boxed().toList()).allSatisfy(t -> assertThat(t).isBetween(0, 511));
            Cache c = (Cache) cache;
            calls.add(tokens.length + (tokens.length == 1 ? " token" : " tokens") + " at " + c.length);
            c.length += tokens.length;
            clock += PASS_NANOS + tokens.length * TOKEN_NANOS;
            return new float[1][512];
        }

        @Override
        public void close() {
        }
    }

    private static final class Cache implements KvCache {
        private final int capacity;
        int length;

        Cache(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public void truncate(int length) {
            this.length = length;
        }
    }
}
