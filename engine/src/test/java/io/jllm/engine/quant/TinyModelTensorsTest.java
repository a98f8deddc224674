package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.TensorInfo;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import static io.jllm.engine.quant.ReferenceProduct.bits;
import static io.jllm.engine.quant.ReferenceProduct.nanOutputs;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kernel against the reference codecs on tensors that llama.cpp quantized (the tiny llama fixtures). */
class TinyModelTensorsTest {

    /** A tall matrix with 768-weight rows and a short one with 256-weight rows. */
    private static final List<String> TENSORS = List.of("blk.0.ffn_down.weight", "blk.1.attn_v.weight");

    static Stream<GgmlType> supported() {
        return KernelsTest.SUPPORTED.stream();
    }

    /** {@code llama-f32.gguf}, {@code llama-bf16.gguf}, ..., {@code llama-q4_k-pure.gguf}: every matrix in one type. */
    private static String fileFor(GgmlType type) {
        String name = type.name().toLowerCase(Locale.ROOT);
        return type.isQuantized() ? "llama-" + name + "-pure.gguf" : "llama-" + name + ".gguf";
    }

    @ParameterizedTest
    @MethodSource("supported")
    void kernelsAgreeWithTheReferenceOnLlamaCppTensors(GgmlType type) throws IOException {
        MatMulKernel kernel = Kernels.forType(type);
        Random random = new Random(7);
        try (GgufFile file = GgufFile.open(SharedTestData.tiny(fileFor(type)))) {
            for (String name : TENSORS) {
                TensorInfo tensor = file.tensor(name);
                assertThat(tensor.type()).as("type of %s in %s", name, fileFor(type)).isEqualTo(type);
                int rows = Math.toIntExact(tensor.rowCount());
                int rowLength = Math.toIntExact(tensor.rowLength());
                MemorySegment weights = file.tensorData(tensor);
                ReferenceProduct reference = new ReferenceProduct(type, weights, rows, rowLength);
                for (int r = 0; r < rows; r++) {
                    float[] row = new float[rowLength];
                    kernel.dequantizeRow(weights, rowLength, r, row);
                    assertThat(bits(row)).as("%s row %d", name, r).containsExactly(bits(reference.row(r)));
                }
                float[][] x = new float[3][rowLength];
                for (float[] v : x) {
                    for (int i = 0; i < rowLength; i++) {
                        v[i] = (float) random.nextGaussian();
                    }
                }
                float[][] out = nanOutputs(x.length, rows);
                kernel.multiply(weights, rowLength, 0, rows, x, out);
                reference.assertMatches(x, out, 0, rows, type + " " + name);
            }
        }
    }
}
