package io.jllm.engine.model;

import io.jllm.engine.json.Json;
import io.jllm.engine.json.JsonNumber;
import io.jllm.engine.ops.GatedActivation;
import io.jllm.engine.ops.RopeLayout;
import io.jllm.engine.quant.Kernels;
import io.jllm.engine.tokenizer.TokenizerException;
import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Loading reads the hyperparameters the README lists and refuses broken files naming what is wrong. */
class ModelLoadingTest {
    @TempDir
    Path dir;

    private static Path llama() {
        return SharedTestData.tiny("llama-f32.gguf");
    }

    @Test
    void readsTheHyperparametersOfEachArchitecture() throws IOException {
        try (TransformerModel llama = (TransformerModel) Models.load(llama());
             TransformerModel qwen3 = (TransformerModel) Models.load(SharedTestData.tiny("qwen3-f32.gguf"));
             TransformerModel qwen2 = (TransformerModel) Models.load(SharedTestData.tiny("qwen2-f32.gguf"))) {
            assertThat(llama.config()).isEqualTo(new ModelConfig("llama", 512, 512, 256, 768, 2, 4, 2, 64, 64, 1e-5f,
                    10000f, 64, 0, 10000f, 0f));
            assertThat(llama.spec()).isEqualTo(new ArchSpec(RopeLayout.ADJACENT_PAIRS, false, false,
                    false, false, GatedActivation.SILU, false, false, 0, 0.125f));
            assertThat(qwen3.config().ropeFreqBase()).isEqualTo(1_000_000f);
            assertThat(qwen3.spec().qkNorm()).isTrue();
            assertThat(qwen3.spec().ropeLayout()).isEqualTo(RopeLayout.SPLIT_HALVES);
            assertThat(qwen2.spec()).isEqualTo(new ArchSpec(RopeLayout.SPLIT_HALVES, true, false, false, false,
                    GatedActivation.SILU, false, false, 0, 0.125f));
        }
    }

    @Test
    void withoutAnOutputTensorTheEmbeddingsAreTied() throws IOException {
        Path file = new EditedGguf(llama()).removeTensor("output.weight").writeTo(dir.resolve("tied.gguf"));
        try (TransformerModel tied = (TransformerModel) Models.load(file)) {
            assertThat(tied.spec().tiedEmbeddings()).isTrue();
        }
    }

    @Test
    void theTokenizerComesFromTheFilesVocabulary() throws IOException {
        Map<String, Object> golden = Json.parseObject(Files.readString(SharedTestData.tiny("tokenizer-golden.json")));
        int[] expected = ((List<?>) golden.get("Hello world")).stream().mapToInt(o -> ((JsonNumber) o).intValue())
                .toArray();
        try (LanguageModel lm = Models.load(SharedTestData.tiny("qwen2-f32.gguf"))) {
            assertThat(lm.tokenizer().encode("Hello world", true, false)).containsExactly(expected);
            assertThat(lm.tokenizer()).isSameAs(lm.tokenizer());
        }
    }

    @Test
    void aFileWithoutVocabularyEvaluatesTokenIdsButHasNoTokenizer() throws IOException {
        Path file = new EditedGguf(llama()).writeTo(dir.resolve("novocab.gguf"));
        try (LanguageModel lm = Models.load(file)) {
            assertThat(lm.forward(new int[] {1, 2}, lm.newCache(2), true)).hasNumberOfRows(2);
            assertThatThrownBy(lm::tokenizer).isInstanceOf(TokenizerException.class)
                    .hasMessageContaining("tokenizer.ggml");
        }
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> Models.load(dir.resolve("nope.gguf")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope.gguf");
    }

    @Test
    void unsupportedArchitectureListsTheSupportedOnes() throws IOException {
        Path file = new EditedGguf(llama()).set("general.architecture", GgufValueType.STRING, "gpt2")
                .writeTo(dir.resolve("gpt2.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("gpt2.gguf")
                .hasMessageContaining("unsupported architecture 'gpt2'; jllm runs: llama, qwen2, qwen3");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path file = new EditedGguf(llama()).removeTensor("blk.1.ffn_down.weight").writeTo(dir.resolve("m.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing tensor 'blk.1.ffn_down.weight'");
    }

    @Test
    void wrongShapeNamesTheTensorAndBothShapes() throws IOException {
        Path file = new EditedGguf(llama()).replaceTensor("blk.0.attn_k.weight", GgmlType.F32, 256, 64)
                .writeTo(dir.resolve("s.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor 'blk.0.attn_k.weight': expected shape [256, 128], found [256, 64]");
    }

    @Test
    void tensorTypeWithoutKernelIsNamedWithTheSupportedTypes() throws IOException {
        Path file = new EditedGguf(llama()).replaceTensor("blk.0.attn_q.weight", GgmlType.IQ2_XXS, 256, 256)
                .writeTo(dir.resolve("t.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor 'blk.0.attn_q.weight' has type IQ2_XXS, which jllm cannot compute with; "
                        + "supported types: " + Kernels.supportedNames());
    }

    @Test
    void missingHyperparameterNamesTheKey() throws IOException {
        Path file = new EditedGguf(llama()).remove("llama.block_count").writeTo(dir.resolve("k.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("llama.block_count");
    }

    @Test
    void llama3RopeFrequencyFactorsAreRead() throws IOException {
        float[] ones = new float[32];
        Arrays.fill(ones, 1f);
        float[] fours = new float[32];
        Arrays.fill(fours, 4f);
        int[] tokens = {1, 48, 396, 336};
        try (LanguageModel plain = Models.load(llama());
             LanguageModel unit = Models.load(new EditedGguf(llama()).putVector("rope_freqs.weight", ones)
                     .writeTo(dir.resolve("ones.gguf")));
             LanguageModel slow = Models.load(new EditedGguf(llama()).putVector("rope_freqs.weight", fours)
                     .writeTo(dir.resolve("fours.gguf")))) {
            float[][] expected = plain.forward(tokens, plain.newCache(4), true);
            assertThat(unit.forward(tokens, unit.newCache(4), true)[3]).containsExactly(expected[3], within(1e-6f));
            float[] slowed = slow.forward(tokens, slow.newCache(4), true)[3];
            assertThat(IntStream.range(0, slowed.length).mapToDouble(v -> Math.abs(slowed[v] - expected[3][v])).max()
                    .orElseThrow()).as("largest change from slower rotations").isGreaterThan(1e-3);
            assertThatThrownBy(() -> Models.load(new EditedGguf(llama()).putVector("rope_freqs.weight", 1f, 2f)
                    .writeTo(dir.resolve("short.gguf")))).hasMessageContaining(
                    "tensor 'rope_freqs.weight': expected shape [32], found [2]");
        }
    }

    @Test
    void ropeScalingIsRefusedRatherThanIgnored() throws IOException {
        Path file = new EditedGguf(llama()).set("llama.rope.scaling.type", GgufValueType.STRING, "yarn")
                .writeTo(dir.resolve("yarn.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("llama.rope.scaling.type 'yarn' is not supported");
    }

    @Test
    void inconsistentHeadCountsAreRefused() throws IOException {
        Path file = new EditedGguf(llama()).set("llama.attention.head_count_kv", GgufValueType.UINT32, 3L)
                .writeTo(dir.resolve("h.gguf"));
        assertThatThrownBy(() -> Models.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("llama.attention.head_count (4) is not a multiple of "
                        + "llama.attention.head_count_kv (3)");
    }
}
