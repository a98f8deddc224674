package io.jllm.engine.quant;

import io.jllm.engine.quant.type.Q8_0Activations;
import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.ActivationQuantization;
import io.jllm.gguf.codec.Codecs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static io.jllm.engine.quant.ReferenceProduct.nanOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The integer path (weights repacked at load, activations quantized like llama.cpp) against a reference built
 * from the gguf module: weights decoded by its codecs, activations quantized by its
 * {@link ActivationQuantization} and decoded back, products summed in double. Row lengths from one block to
 * several column slices, ragged row ranges, 1 to 64 vectors (decode kernels up to
 * {@code PanelProduct.MIN_VECTORS}, Q8_0's prefill panel kernel from there, with partial tiles of vectors and odd
 * quads); run at every vector width.
 */
class IntegerKernelTest {
    private static final int ROWS = 13;
    private static final int MAX_VECTORS = 64;
    private static final int[][] ROW_RANGES = {{0, ROWS}, {2, 11}, {12, ROWS}, {4, 8}};
    private static final int[] ROW_LENGTHS = {32, 96, 288, 800, 4096 + 96};

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0"})
    void quantizedActivationsAreLlamaCppsBitForBit(GgmlType type) {
        Random random = new Random(7);
        for (int rowLength : ROW_LENGTHS) {
            float[] x = gaussian(rowLength, 1f, random);
            Q8_0Activations quantized = new Q8_0Activations(2, rowLength);
            quantized.reset(2, rowLength);
            quantized.quantize(1, x);
            byte[] quants = new byte[rowLength];
            float[] scales = new float[rowLength / 32];
            ActivationQuantization.q8_0(x, 0, rowLength, quants, scales);
            for (int i = 0; i < rowLength; i++) {
                assertThat(quantized.quant(1, i)).as("quant %d of %d", i, rowLength).isEqualTo(quants[i]);
            }
            for (int b = 0; b < rowLength / 32; b++) {
                assertThat(quantized.scale(1, b)).as("scale %d of %d", b, rowLength).isEqualTo(scales[b]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0"})
    void packedProductAgreesWithTheReference(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        Random random = new Random(type.id());
        for (int rowLength : ROW_LENGTHS) {
            float[] values = gaussian(ROWS * rowLength, 0.05f, random);
            MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, values));
            ReferenceProduct reference = new ReferenceProduct(type, weights, ROWS, rowLength);
            IntegerMatrix packed = kernel.pack(weights, rowLength, ROWS).orElseThrow();
            assertThat(packed.rows()).isEqualTo(ROWS);
            assertThat(packed.columns()).isEqualTo(rowLength);
            float[][] x = new float[MAX_VECTORS][];
            Arrays.setAll(x, n -> gaussian(rowLength, 1f, random));
            float[][] dequantized = new float[MAX_VECTORS][];
            Arrays.setAll(dequantized, n -> quantizedValues(x[n]));
            Q8_0Activations quantized = new Q8_0Activations(MAX_VECTORS, rowLength);
            for (int n = 1; n <= MAX_VECTORS; n++) {
                int[] range = ROW_RANGES[n % ROW_RANGES.length];
                quantized.reset(n, rowLength);
                for (int v = 0; v < n; v++) {
                    quantized.quantize(v, x[v]);
                }
                float[][] out = nanOutputs(n, ROWS);
                packed.multiply(quantized, range[0], range[1], out);
                reference.assertMatches(Arrays.copyOf(dequantized, n), out, range[0], range[1],
                        type + ", rows of " + rowLength + ", " + n + " vectors, rows [" + range[0] + ", " + range[1] + ")");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0"})
    void mismatchedShapesAreRefused(GgmlType type) {
        MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, new float[4 * 64]));
        IntegerMatrix packed = Kernels.forType(type).pack(weights, 64, 4).orElseThrow();
        Q8_0Activations quantized = new Q8_0Activations(1, 96);
        quantized.reset(1, 96);
        assertThatThrownBy(() -> packed.multiply(quantized, 0, 4, new float[1][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96").hasMessageContaining("64");
        quantized.reset(1, 64);
        assertThatThrownBy(() -> packed.multiply(quantized, 0, 5, new float[1][5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 5)");
        assertThatThrownBy(() -> Kernels.forType(type).pack(weights, 64, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 5 rows");
    }

    /** The values llama.cpp multiplies with: each activation quantized to Q8_0 and scaled back. */
    private static float[] quantizedValues(float[] x) {
        byte[] quants = new byte[x.length];
        float[] scales = new float[x.length / 32];
        ActivationQuantization.q8_0(x, 0, x.length, quants, scales);
        float[] values = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            values[i] = quants[i] * scales[i / 32];
        }
        return values;
    }

    /** Normal values with a few large outliers, like real weights and activations. */
    private static float[] gaussian(int count, float sigma, Random random) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * sigma * (random.nextInt(50) == 0 ? 8 : 1));
        }
        return values;
    }
}
