package io.jllm.engine.generate;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Warming the JIT up on a throwaway session, beside the sessions that matter. */
class WarmUpTest {

    @Test
    void runsOnePromptAndTheDecodeStepsOnItsOwnCacheThenEnds() throws InterruptedException {
        FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "a", "b");
        ScriptedModel model = new ScriptedModel(tokenizer, 4096, ScriptedModel.bigrams(tokenizer, "a", "b"));
        WarmUp warmUp = WarmUp.start(Engine.of(model));
        warmUp.await();
        assertThat(warmUp.finished()).isTrue();
        // the prompt, then one single-token pass per decoded token but the last, which is never run
        assertThat(model.batches).hasSize(WarmUp.DECODES);
        assertThat(model.batches.getFirst()).hasSize(WarmUp.PROMPT);
        assertThat(model.batches.subList(1, WarmUp.DECODES)).allSatisfy(batch -> assertThat(batch).hasSize(1));
    }

    @Test
    void aModelTooShortForTheWarmUpIsLeftAlone() throws InterruptedException {
        FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "a");
        ScriptedModel model = new ScriptedModel(tokenizer, 8, ScriptedModel.bigrams(tokenizer, "a", "a"));
        WarmUp warmUp = WarmUp.start(Engine.of(model));
        warmUp.await();
        assertThat(model.batches).isEmpty();
    }

    @Test
    void aSessionRunningBesideAWarmUpGetsExactlyTheLogitsItGetsAlone() throws IOException, InterruptedException {
        try (Engine engine = Engine.load(SharedTestData.tiny("llama-q4_0-pure.gguf"),
                ModelOptions.defaults().withThreads(2))) {
            int[] prompt = {1, 45, 96, 17, 3, 41, 72, 97, 27, 66, 11, 29};
            float[] alone = logitsAfter(engine, prompt);
            for (int round = 0; round < 5; round++) {
                WarmUp warmUp = WarmUp.start(engine);
                float[] beside = logitsAfter(engine, prompt);
                warmUp.await();
                assertThat(beside).as("round %d", round).containsExactly(alone);
            }
        }
    }

    @Test
    void closingStopsItAfterTheCurrentStep() throws InterruptedException {
        FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "a", "b");
        ScriptedModel scripted = new ScriptedModel(tokenizer, 4096, ScriptedModel.bigrams(tokenizer, "a", "b"));
        CountDownLatch inPrompt = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        LanguageModel gated = new LanguageModel() {
            public int vocabularySize() {
                return scripted.vocabularySize();
            }

            public int contextLength() {
                return scripted.contextLength();
            }

            public Tokenizer tokenizer() {
                return scripted.tokenizer();
            }

            public KvCache newCache(int capacity) {
                return scripted.newCache(capacity);
            }

            public float[][] forward(int[] tokens, KvCache cache, boolean allLogits) {
                inPrompt.countDown();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return scripted.forward(tokens, cache, allLogits);
            }

            public void close() {
                scripted.close();
            }
        };
        WarmUp warmUp = WarmUp.start(Engine.of(gated));
        inPrompt.await();
        warmUp.close();
        closed.countDown();
        warmUp.await();
        assertThat(scripted.batches).hasSize(1);
    }

    private static float[] logitsAfter(Engine engine, int[] prompt) {
        Session session = engine.newSession(64, SamplerConfig.greedy());
        session.prefill(prompt);
        for (int i = 0; i < 8; i++) {
            session.decode();
        }
        return session.logits();
    }
}
