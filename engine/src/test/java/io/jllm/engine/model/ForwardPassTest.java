package io.jllm.engine.model;

import io.jllm.engine.parallel.ExecutorKind;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ways of running the same tokens agree: one batched prefill, token-by-token decode, other micro-batch
 * sizes, thread counts and executors, and a rewound cache. The golden tests pin the values themselves.
 * Agreement is to 1e-6, not bit for bit: the Vector API may sum lanes in another order once JIT-compiled.
 */
class ForwardPassTest {
    private static final int[] PROMPT = {1, 48, 396, 336, 226, 223, 440, 46, 357, 105, 50, 270, 499, 377, 390, 368};

    @ParameterizedTest
    @ValueSource(strings = {"llama-f32.gguf", "qwen2-f32.gguf", "qwen3-f32.gguf"})
    void batchedPrefillEqualsTokenByTokenDecode(String name) throws IOException {
        try (LanguageModel lm = Models.load(SharedTestData.tiny(name))) {
            float[][] batched = lm.forward(PROMPT, lm.newCache(PROMPT.length), true);
            KvCache cache = lm.newCache(PROMPT.length);
            for (int p = 0; p < PROMPT.length; p++) {
                float[][] single = lm.forward(new int[] {PROMPT[p]}, cache, false);
                assertThat(maxAbsDiff(single[0], batched[p])).as("position %d", p).isLessThan(1e-5);
            }
            assertThat(cache.length()).isEqualTo(PROMPT.length);
        }
    }

    @Test
    void microBatchSizeThreadsAndExecutorDoNotChangeTheLogits() throws IOException {
        Path model = SharedTestData.tiny("qwen2-f32.gguf");
        float[][] reference = logits(model, new ModelOptions(1, ExecutorKind.SERIAL, 64));
        for (ModelOptions options : new ModelOptions[] {
                new ModelOptions(3, ExecutorKind.VIRTUAL, 5),
                new ModelOptions(2, ExecutorKind.PLATFORM, 16),
                new ModelOptions(4, ExecutorKind.VIRTUAL, 1)}) {
            float[][] logits = logits(model, options);
            for (int p = 0; p < PROMPT.length; p++) {
                assertThat(maxAbsDiff(logits[p], reference[p])).as("%s, position %d", options, p).isLessThan(1e-6);
            }
        }
    }

    @Test
    void onlyTheLastRowUnlessAllAreAsked() throws IOException {
        try (LanguageModel lm = Models.load(SharedTestData.tiny("llama-f32.gguf"), ModelOptions.defaults()
                .withBatchSize(6))) {
            float[][] all = lm.forward(PROMPT, lm.newCache(PROMPT.length), true);
            float[][] last = lm.forward(PROMPT, lm.newCache(PROMPT.length), false);
            assertThat(last).hasNumberOfRows(1);
            assertThat(maxAbsDiff(last[0], all[PROMPT.length - 1])).isLessThan(1e-6);
        }
    }

    @Test
    void theLastRowCanBeWrittenIntoTheCallersRow() throws IOException {
        try (LanguageModel lm = Models.load(SharedTestData.tiny("llama-f32.gguf"), ModelOptions.defaults()
                .withBatchSize(6))) {
            float[][] all = lm.forward(PROMPT, lm.newCache(PROMPT.length), true);
            KvCache cache = lm.newCache(PROMPT.length);
            float[] row = new float[lm.vocabularySize()];
            lm.forward(Arrays.copyOf(PROMPT, 9), cache, row);
            assertThat(maxAbsDiff(row, all[8])).isLessThan(1e-6);
            lm.forward(Arrays.copyOfRange(PROMPT, 9, PROMPT.length), cache, row);
            assertThat(maxAbsDiff(row, all[PROMPT.length - 1])).isLessThan(1e-6);
            assertThatThrownBy(() -> lm.forward(new int[] {1}, lm.newCache(4), new float[lm.vocabularySize() - 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a logit row holds " + (lm.vocabularySize() - 1) + " floats; the vocabulary has "
                            + lm.vocabularySize());
        }
    }

    @Test
    void truncatingTheCacheRecomputesTheSameLogits() throws IOException {
        try (LanguageModel lm = Models.load(SharedTestData.tiny("qwen3-f32.gguf"))) {
            KvCache cache = lm.newCache(32);
            float[][] first = lm.forward(PROMPT, cache, true);
            cache.truncate(10);
            float[][] again = lm.forward(Arrays.copyOfRange(PROMPT, 10, 16), cache, true);
            for (int p = 10; p < 16; p++) {
                assertThat(maxAbsDiff(again[p - 10], first[p])).as("position %d", p).isLessThan(1e-6);
            }
        }
    }

    @Test
    void badTokensAndFullCachesAreRefused() throws IOException {
        try (LanguageModel lm = Models.load(SharedTestData.tiny("llama-f32.gguf"));
             LanguageModel other = Models.load(SharedTestData.tiny("llama-f32.gguf"))) {
            KvCache cache = lm.newCache(4);
            assertThatThrownBy(() -> lm.forward(new int[] {1, 512}, cache, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("token id 512 at index 1 is out of range [0, 512)");
            assertThatThrownBy(() -> lm.forward(new int[] {1, -1}, cache, false))
                    .hasMessageContaining("token id -1 at index 1");
            assertThatThrownBy(() -> lm.forward(PROMPT, cache, false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("16 tokens do not fit in the KV cache: 0 of 4 positions are used");
            assertThatThrownBy(() -> lm.forward(new int[0], cache, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> lm.forward(new int[] {1}, other.newCache(4), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newCache");
            assertThat(cache.length()).isZero();
        }
    }

    private static float[][] logits(Path model, ModelOptions options) throws IOException {
        try (LanguageModel lm = Models.load(model, options)) {
            return lm.forward(PROMPT, lm.newCache(PROMPT.length), true);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
