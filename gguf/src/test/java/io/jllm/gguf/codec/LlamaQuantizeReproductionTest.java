package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.TensorInfo;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quantizing the F32 tiny llama model reproduces, byte for byte, every matrix that llama.cpp's
 * {@code llama-quantize} wrote into the pure fixture file of that type (no importance matrix, so llama.cpp
 * used its {@code quantize_row_*_ref} functions). This is the reference for the K-quant encoders, which the
 * {@code gguf} Python package cannot quantize, and a second reference for the others.
 */
class LlamaQuantizeReproductionTest {

    @ParameterizedTest
    @CsvSource({
            "F16, llama-f16.gguf",
            "BF16, llama-bf16.gguf",
            "Q8_0, llama-q8_0-pure.gguf",
            "Q4_0, llama-q4_0-pure.gguf",
            "Q4_1, llama-q4_1-pure.gguf",
            "Q5_0, llama-q5_0-pure.gguf",
            "Q5_1, llama-q5_1-pure.gguf",
            "Q4_K, llama-q4_k-pure.gguf",
            "Q5_K, llama-q5_k-pure.gguf",
            "Q6_K, llama-q6_k-pure.gguf",
    })
    void reproducesLlamaQuantize(GgmlType type, String quantizedFile) throws IOException {
        try (GgufFile source = GgufFile.open(SharedTestData.tiny("llama-f32.gguf"));
             GgufFile quantized = GgufFile.open(SharedTestData.tiny(quantizedFile))) {
            int matrices = 0;
            for (TensorInfo target : quantized.tensors()) {
                if (target.type() != type) {
                    continue;
                }
                float[] weights = Codecs.dequantize(GgmlType.F32, source.tensorData(target.name()),
                        target.elementCount());
                byte[] expected = quantized.tensorData(target).toArray(ValueLayout.JAVA_BYTE);

                byte[] actual = Codecs.quantize(type, weights);

                assertThat(CodecFixtures.firstByteDifference(type, expected, actual)).as(target.name()).isNull();
                matrices++;
            }
            assertThat(matrices).as("matrices of type " + type + " in " + quantizedFile).isEqualTo(16);
        }
    }
}
