package io.jllm.engine.quant;

import io.jllm.engine.quant.type.Q8_KActivations;
import io.jllm.engine.quant.type.Q8_KInterleavedActivations;
import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.ActivationQuantization;
import io.jllm.gguf.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static io.jllm.engine.quant.ReferenceProduct.nanOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The K-quant integer paths (stored blocks, or a copy repacked at load, times Q8_K activations, as llama.cpp
 * computes it) against a reference
 * built from the gguf module: weights decoded by its codecs, activations quantized by its
 * {@link ActivationQuantization#q8_K} and decoded back, products summed in double. Row lengths from one
 * super-block to many, ragged row ranges, 1 to 8 vectors (the four-vector and one-vector loops and their mix);
 * run at every vector width.
 */
class KQuantIntegerKernelTest {
    private static final int ROWS = 13;
    private static final int MAX_VECTORS = 8;
    private static final int[][] ROW_RANGES = {{0, ROWS}, {2, 11}, {12, ROWS}, {4, 8}};
    private static final int[] ROW_LENGTHS = {256, 768, 2048, 4096 + 256};
    /** Repacked rows: within one group, across groups, across column slices, and one ending mid-group. */
    private static final int[] PACKED_ROW_LENGTHS = {256, 768, 1024, 2048, 8192 + 256};

    @Test
    void quantizedActivationsAreTheReferencesBitForBit() {
        Random random = new Random(11);
        for (int rowLength : ROW_LENGTHS) {
            float[] x = withEdgeCases(rowLength, random);
            Q8_KActivations quantized = new Q8_KActivations(2, rowLength);
            quantized.reset(2, rowLength);
            quantized.quantize(1, x);
            byte[] quants = new byte[rowLength];
            float[] scales = new float[rowLength / 256];
            short[] sums = new short[rowLength / 16];
            ActivationQuantization.q8_K(x, 0, rowLength, quants, scales, sums);
            for (int i = 0; i < rowLength; i++) {
                assertThat(quantized.quant(1, i)).as("quant %d of %d", i, rowLength).isEqualTo(quants[i]);
            }
            for (int b = 0; b < rowLength / 256; b++) {
                assertThat(quantized.scale(1, b)).as("scale %d of %d", b, rowLength).isEqualTo(scales[b]);
            }
            for (int g = 0; g < rowLength / 16; g++) {
                assertThat(quantized.sum(1, g)).as("sum %d of %d", g, rowLength).isEqualTo(sums[g]);
            }
        }
    }

    @Test
    void interleavedActivationsAreTheReferencesBitForBit() {
        Random random = new Random(13);
        for (int rowLength : PACKED_ROW_LENGTHS) {
            float[] x = withEdgeCases(rowLength, random);
            Q8_KInterleavedActivations quantized = new Q8_KInterleavedActivations(2, rowLength);
            quantized.reset(2, rowLength);
            quantized.quantize(1, x);
            byte[] quants = new byte[rowLength];
            float[] scales = new float[rowLength / 256];
            short[] sums = new short[rowLength / 16];
            ActivationQuantization.q8_K(x, 0, rowLength, quants, scales, sums);
            for (int i = 0; i < rowLength; i++) {
                assertThat(quantized.quant(1, i)).as("quant %d of %d", i, rowLength).isEqualTo(quants[i]);
                assertThat(quantized.scale(1, i)).as("scale of %d of %d", i, rowLength).isEqualTo(scales[i / 256]);
            }
            for (int b = 0; b < rowLength / 32; b++) {
                assertThat(quantized.sum(1, b)).as("sum %d of %d", b, rowLength)
                        .isEqualTo(sums[2 * b] + sums[2 * b + 1]);
            }
        }
    }

    /**
     * Gaussian activations with an all-zero first block and, after it, a tie for the largest magnitude (the
     * first value, negative, wins) and a value meant to land halfway between two quants (-63.5).
     */
    private static float[] withEdgeCases(int rowLength, Random random) {
        float[] x = gaussian(rowLength, 1f, random);
        Arrays.fill(x, 0, 256, 0f);
        if (rowLength > 256) {
            x[300] = -40f;
            x[301] = 40f;
            x[302] = -40f * 63.5f / 127f;
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_K", "Q6_K"})
    void repackedProductAgreesWithTheReference(GgmlType type) {
        Random random = new Random(17 + type.id());
        for (int rowLength : PACKED_ROW_LENGTHS) {
            float[] values = gaussian(ROWS * rowLength, 0.05f, random);
            MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, values));
            ReferenceProduct reference = new ReferenceProduct(type, weights, ROWS, rowLength);
            IntegerMatrix packed = Kernels.forType(type).pack(weights, rowLength, ROWS).orElseThrow();
            assertThat(packed.rows()).isEqualTo(ROWS);
            assertThat(packed.columns()).isEqualTo(rowLength);
            assertThat(packed.format()).isEqualTo(ActivationFormat.Q8_K_INTERLEAVED);
            assertThat(packed.byteSize()).as("a repacked copy").isPositive();
            float[][] x = new float[MAX_VECTORS][];
            Arrays.setAll(x, n -> gaussian(rowLength, 1f, random));
            float[][] dequantized = new float[MAX_VECTORS][];
            Arrays.setAll(dequantized, n -> quantizedValues(x[n]));
            QuantizedActivations quantized = ActivationFormat.Q8_K_INTERLEAVED.allocate(MAX_VECTORS, rowLength);
            for (int n = 1; n <= MAX_VECTORS; n++) {
                int[] range = ROW_RANGES[n % ROW_RANGES.length];
                quantized.reset(n, rowLength);
                for (int v = 0; v < n; v++) {
                    quantized.quantize(v, x[v]);
                }
                float[][] out = nanOutputs(n, ROWS);
                packed.multiply(quantized, range[0], range[1], out);
                reference.assertMatches(Arrays.copyOf(dequantized, n), out, range[0], range[1],
                        type + " repacked, rows of " + rowLength + ", " + n + " vectors, rows [" + range[0] + ", "
                                + range[1] + ")");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_K", "Q6_K"})
    void repackedMatricesRefuseMismatchedShapes(GgmlType type) {
        MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, new float[4 * 512]));
        IntegerMatrix packed = Kernels.forType(type).pack(weights, 512, 4).orElseThrow();
        QuantizedActivations quantized = ActivationFormat.Q8_K_INTERLEAVED.allocate(1, 768);
        quantized.reset(1, 768);
        assertThatThrownBy(() -> packed.multiply(quantized, 0, 4, new float[1][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("768").hasMessageContaining("512");
        quantized.reset(1, 512);
        assertThatThrownBy(() -> packed.multiply(quantized, 0, 5, new float[1][5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 5)");
        assertThatThrownBy(() -> Kernels.forType(type).pack(weights, 512, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 5 rows");
        assertThatThrownBy(() -> quantized.reset(1, 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_K", "Q6_K"})
    void productOnTheStoredBlocksAgreesWithTheReference(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        Random random = new Random(type.id());
        for (int rowLength : ROW_LENGTHS) {
            float[] values = gaussian(ROWS * rowLength, 0.05f, random);
            MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, values));
            ReferenceProduct reference = new ReferenceProduct(type, weights, ROWS, rowLength);
            IntegerMatrix view = kernel.integer(weights, rowLength, ROWS).orElseThrow();
            assertThat(view.rows()).isEqualTo(ROWS);
            assertThat(view.columns()).isEqualTo(rowLength);
            assertThat(view.format()).isEqualTo(ActivationFormat.Q8_K);
            assertThat(view.byteSize()).as("a view copies nothing").isZero();
            float[][] x = new float[MAX_VECTORS][];
            Arrays.setAll(x, n -> gaussian(rowLength, 1f, random));
            float[][] dequantized = new float[MAX_VECTORS][];
            Arrays.setAll(dequantized, n -> quantizedValues(x[n]));
            QuantizedActivations quantized = ActivationFormat.Q8_K.allocate(MAX_VECTORS, rowLength);
            for (int n = 1; n <= MAX_VECTORS; n++) {
                int[] range = ROW_RANGES[n % ROW_RANGES.length];
                quantized.reset(n, rowLength);
                for (int v = 0; v < n; v++) {
                    quantized.quantize(v, x[v]);
                }
                float[][] out = nanOutputs(n, ROWS);
                view.multiply(quantized, range[0], range[1], out);
                reference.assertMatches(Arrays.copyOf(dequantized, n), out, range[0], range[1],
                        type + ", rows of " + rowLength + ", " + n + " vectors, rows [" + range[0] + ", " + range[1] + ")");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_K", "Q6_K"})
    void mismatchedShapesAreRefused(GgmlType type) {
        MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, new float[4 * 512]));
        IntegerMatrix view = Kernels.forType(type).integer(weights, 512, 4).orElseThrow();
        QuantizedActivations quantized = ActivationFormat.Q8_K.allocate(1, 768);
        quantized.reset(1, 768);
        assertThatThrownBy(() -> view.multiply(quantized, 0, 4, new float[1][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("768").hasMessageContaining("512");
        quantized.reset(1, 512);
        assertThatThrownBy(() -> view.multiply(quantized, 0, 5, new float[1][5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 5)");
        assertThatThrownBy(() -> Kernels.forType(type).integer(weights, 512, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 5 rows");
        assertThatThrownBy(() -> quantized.reset(1, 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }

    /** The values llama.cpp multiplies with: each activation quantized to Q8_K and scaled back. */
    private static float[] quantizedValues(float[] x) {
        byte[] quants = new byte[x.length];
        float[] scales = new float[x.length / 256];
        ActivationQuantization.q8_K(x, 0, x.length, quants, scales, new short[x.length / 16]);
        float[] values = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            values[i] = quants[i] * scales[i / 256];
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
