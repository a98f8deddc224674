package io.jllm.bench.synth;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.model.Models;
import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticModelTest {
    /** A llama-shaped model small enough for a unit test: 2 blocks, rows of 256 and 768 (K-quant friendly). */
    private static final ModelShape TINY = new ModelShape("tiny", "llama", 256, 768, 2, 4, 2, 600, 512,
            10000f, 1e-5f, false, false, null);

    @TempDir
    Path dir;

    private Path write(ModelShape shape, SynthType type, long seed, String name) throws IOException {
        Path file = dir.resolve(name);
        new SyntheticModel(shape, type, seed).write(file, bytes -> { });
        return file;
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        byte[] a = Files.readAllBytes(write(TINY, SynthType.Q4_0, 7, "a.gguf"));
        byte[] b = Files.readAllBytes(write(TINY, SynthType.Q4_0, 7, "b.gguf"));
        byte[] c = Files.readAllBytes(write(TINY, SynthType.Q4_0, 8, "c.gguf"));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void theQ4KMMixFollowsLlamaQuantizesRules() throws IOException {
        try (GgufFile file = GgufFile.open(write(TINY, SynthType.Q4_K_M, 1, "mix.gguf"))) {
            assertThat(file.tensor("output.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(file.tensor("token_embd.weight").type()).isEqualTo(GgmlType.Q4_K);
            // use_more_bits(i, 2): layer 0 no, layer 1 yes (i >= 7 * n / 8), as in the tiny q4_k_m fixture
            assertThat(file.tensor("blk.0.attn_v.weight").type()).isEqualTo(GgmlType.Q4_K);
            assertThat(file.tensor("blk.1.attn_v.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(file.tensor("blk.1.ffn_down.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(file.metadata().getInt("general.file_type")).isEqualTo(15);
        }
    }

    @Test
    void rowsThatAreNotWholeKQuantBlocksFallBackLikeLlamaQuantize() {
        assertThat(SynthType.Q4_K_M.typeFor("ffn_up", 0, 30, 576)).isEqualTo(GgmlType.Q5_0);
        assertThat(SynthType.Q4_K_M.typeFor("output", 0, 30, 576)).isEqualTo(GgmlType.Q8_0);
        assertThat(SynthType.Q4_K_M.typeFor("ffn_up", 0, 30, 2048)).isEqualTo(GgmlType.Q4_K);
    }

    @Test
    void theWrittenModelLoadsAndRuns() throws IOException {
        try (LanguageModel model = Models.load(write(TINY, SynthType.Q8_0, 3, "run.gguf"), ModelOptions.defaults())) {
            KvCache cache = model.newCache(16);
            float[][] logits = model.forward(new int[] {1, 300, 301}, cache, false);
            assertThat(logits[0]).hasSize(600);
            for (float v : logits[0]) {
                assertThat(v).isFinite();
            }
            assertThat(model.tokenizer().vocabularySize()).isEqualTo(600);
        }
    }

    @Test
    void llama32RopeFactorsMatchTheConvertersFormula() {
        float[] factors = ModelShape.preset("llama-3.2-1b").orElseThrow().ropeFactors();
        assertThat(factors).hasSize(32);
        // Highest frequencies (short wavelengths) are not scaled, the lowest are scaled by the factor 32.
        assertThat(factors[0]).isEqualTo(1f);
        assertThat(factors[31]).isEqualTo(32f);
    }
}
