package io.jllm.engine.quant;

import io.jllm.engine.quant.type.Q8Activations;
import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.ActivationQuantization;
import io.jllm.gguf.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static io.jllm.engine.quant.ReferenceProduct.assertManyVectorsGiveTheBitsOfEachAlone;
import static io.jllm.engine.quant.ReferenceProduct.nanOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The integer views of stored 32-weight blocks ({@link MatMulKernel#integer}) against a reference built from the
 * gguf module: weights decoded by its codecs, activations quantized by its {@link ActivationQuantization} and
 * decoded back, products summed in double. For Q4_1 and Q5_1, llama.cpp multiplies each block's minimum by the
 * activations' stored fp16 sum {@code s} rather than by the decoded values' sum; the reference does the same.
 * Row lengths from one block to many (576 and 640 as in SmolLM2 and Gemma 3), ragged row ranges, 1 to 8 vectors;
 * run at every vector width.
 */
class IntegerViewTest {
    private static final int ROWS = 13;
    private static final int MAX_VECTORS = 8;
    private static final int[][] ROW_RANGES = {{0, ROWS}, {2, 11}, {12, ROWS}, {4, 8}, {5, 5}};
    private static final int[] ROW_LENGTHS = {32, 96, 576, 640, 4096 + 96};
    private static final double NMSE_LIMIT = 1e-10;

    @Test
    void q8_0ActivationsAreLlamaCppsBitForBit() {
        Random random = new Random(3);
        for (int rowLength : ROW_LENGTHS) {
            float[] x = gaussian(rowLength, 1f, random);
            Q8Activations quantized = Q8Activations.q8_0(2, rowLength);
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
            assertThatThrownBy(() -> quantized.sum(1, 0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void q8_1ActivationsAreLlamaCppsBitForBit() {
        Random random = new Random(5);
        for (int rowLength : ROW_LENGTHS) {
            float[] x = gaussian(rowLength, 1f, random);
            Q8Activations quantized = Q8Activations.q8_1(2, rowLength);
            quantized.reset(2, rowLength);
            quantized.quantize(1, x);
            byte[] quants = new byte[rowLength];
            float[] scales = new float[rowLength / 32];
            float[] sums = new float[rowLength / 32];
            ActivationQuantization.q8_1(x, 0, rowLength, quants, scales, sums);
            for (int i = 0; i < rowLength; i++) {
                assertThat(quantized.quant(1, i)).as("quant %d of %d", i, rowLength).isEqualTo(quants[i]);
            }
            for (int b = 0; b < rowLength / 32; b++) {
                assertThat(quantized.scale(1, b)).as("scale %d of %d", b, rowLength).isEqualTo(scales[b]);
                assertThat(quantized.sum(1, b)).as("sum %d of %d", b, rowLength).isEqualTo(sums[b]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "IQ4_NL"})
    void viewProductAgreesWithTheReference(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        boolean q8_1 = type == GgmlType.Q4_1 || type == GgmlType.Q5_1;
        assertAgreesWithLlamaCpp(type, (weights, rowLength) -> {
            IntegerMatrix view = kernel.integer(weights, rowLength, ROWS).orElseThrow();
            assertThat(view.byteSize()).isZero();
            assertThat(view.format()).isEqualTo(q8_1 ? ActivationFormat.Q8_1 : ActivationFormat.Q8_0);
            return view;
        });
    }

    /**
     * Q4_1 and Q5_0 repacked ({@code Q4_1Interleaved}, {@code Q5_0Interleaved}: Q8_0's interleaved activations,
     * with their Q8_1 sums for Q4_1) against the same reference, so the repacked and the stored-block products
     * compute the same thing.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q4_1", "Q5_0"})
    void repackedProductAgreesWithTheReference(GgmlType type) {
        assertAgreesWithLlamaCpp(type, (weights, rowLength) -> {
            IntegerMatrix packed = Kernels.forType(type).pack(weights, rowLength, ROWS).orElseThrow();
            assertThat(packed.format()).isEqualTo(ActivationFormat.Q8_0_INTERLEAVED);
            return packed;
        });
    }

    /**
     * Rows that are not whole groups of the repacked layout, split ({@link SplitMatrix}: the whole groups
     * repacked, the trailing blocks multiplied on a copy of them and added), against the same reference.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q8_0"})
    void splitProductAgreesWithTheReference(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        int[] splittable = Arrays.stream(ROW_LENGTHS).filter(length -> {
            int head = SplitActivations.headColumns(length);
            return head > 0 && head < length;
        }).toArray();
        assertThat(splittable).isNotEmpty();
        assertAgreesWithLlamaCpp(type, splittable, (weights, rowLength) -> {
            int head = SplitActivations.headColumns(rowLength);
            Repacker leading = kernel.leadingRepacker(weights, rowLength, ROWS, head).orElseThrow();
            MemorySegment copy = Arena.ofAuto().allocate(leading.byteSize(), 64);
            leading.fill(copy, 0, leading.pieces());
            IntegerMatrix split = new SplitMatrix(leading.wrap(copy),
                    kernel.trailing(weights, rowLength, ROWS, head).orElseThrow());
            assertThat(split.format()).isEqualTo(type == GgmlType.Q4_1 ? ActivationFormat.SPLIT_Q8_1
                    : ActivationFormat.SPLIT_Q8_0);
            return split;
        });
    }

    private interface MatrixOf {
        IntegerMatrix of(MemorySegment weights, int rowLength);
    }

    /** {@code matrices}' products, for several row lengths, vector counts and row ranges, against the reference. */
    private static void assertAgreesWithLlamaCpp(GgmlType type, MatrixOf matrices) {
        assertAgreesWithLlamaCpp(type, ROW_LENGTHS, matrices);
    }

    private static void assertAgreesWithLlamaCpp(GgmlType type, int[] rowLengths, MatrixOf matrices) {
        Random random = new Random(type.id());
        for (int rowLength : rowLengths) {
            float[] values = gaussian(ROWS * rowLength, 0.05f, random);
            MemorySegment weights = MemorySegment.ofArray(encode(type, values, random));
            float[] decoded = Codecs.dequantize(type, weights, (long) ROWS * rowLength);
            IntegerMatrix view = matrices.of(weights, rowLength);
            assertThat(view.rows()).isEqualTo(ROWS);
            assertThat(view.columns()).isEqualTo(rowLength);
            float[][] x = new float[MAX_VECTORS][];
            Arrays.setAll(x, n -> gaussian(rowLength, 1f, random));
            QuantizedActivations quantized = view.format().allocate(MAX_VECTORS, rowLength);
            for (int n = 1; n <= MAX_VECTORS; n++) {
                int[] range = ROW_RANGES[n % ROW_RANGES.length];
                quantized.reset(n, rowLength);
                for (int v = 0; v < n; v++) {
                    quantized.quantize(v, x[v]);
                }
                float[][] out = nanOutputs(n, ROWS);
                view.multiply(quantized, range[0], range[1], out);
                double error = 0;
                double norm = 0;
                for (int v = 0; v < n; v++) {
                    for (int r = 0; r < ROWS; r++) {
                        if (r < range[0] || r >= range[1]) {
                            assertThat(out[v][r]).as("output %d row %d is outside the row range", v, r).isNaN();
                            continue;
                        }
                        double expected = llamaCppDot(type, weights, decoded, r, rowLength, x[v]);
                        error += (out[v][r] - expected) * (out[v][r] - expected);
                        norm += expected * expected;
                    }
                }
                String what = type + ", rows of " + rowLength + ", " + n + " vectors, rows [" + range[0] + ", "
                        + range[1] + ")";
                if (range[0] < range[1]) {
                    assertThat(norm).as("%s: reference products are not all zero", what).isPositive();
                    assertThat(error / norm).as("%s: NMSE against the reference", what).isLessThanOrEqualTo(NMSE_LIMIT);
                }
            }
        }
    }

    /**
     * A prompt's products (many vectors, unpacked once into floats) are the same bits as each token's alone
     * (the integer kernel), so a prefill and a one-token decode agree exactly.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "IQ4_NL"})
    void manyVectorsGiveTheSameBitsAsEachAlone(GgmlType type) {
        Random random = new Random(7 + type.id());
        int vectors = MAX_VECTORS - 1;
        for (int rowLength : new int[] {640, 4096 + 96}) {
            MemorySegment weights = MemorySegment.ofArray(encode(type, gaussian(ROWS * rowLength, 0.05f, random),
                    random));
            IntegerMatrix view = Kernels.forType(type).integer(weights, rowLength, ROWS).orElseThrow();
            float[][] x = new float[vectors][];
            Arrays.setAll(x, n -> gaussian(rowLength, 1f, random));
            assertManyVectorsGiveTheBitsOfEachAlone(view, x, type + ", rows of " + rowLength);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "IQ4_NL"})
    void mismatchedShapesAreRefused(GgmlType type) {
        MemorySegment weights = MemorySegment.ofArray(encode(type, new float[4 * 64], new Random(1)));
        IntegerMatrix view = Kernels.forType(type).integer(weights, 64, 4).orElseThrow();
        QuantizedActivations quantized = view.format().allocate(1, 96);
        quantized.reset(1, 96);
        assertThatThrownBy(() -> view.multiply(quantized, 0, 4, new float[1][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96").hasMessageContaining("64");
        quantized.reset(1, 64);
        assertThatThrownBy(() -> view.multiply(quantized, 0, 5, new float[1][5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 5)");
        ActivationFormat other = view.format() == ActivationFormat.Q8_0 ? ActivationFormat.Q8_1 : ActivationFormat.Q8_0;
        QuantizedActivations wrong = other.allocate(1, 64);
        wrong.reset(1, 64);
        assertThatThrownBy(() -> view.multiply(wrong, 0, 4, new float[1][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(view.format().name());
        assertThatThrownBy(() -> Kernels.forType(type).integer(weights, 64, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 5 rows");
    }

    /**
     * What llama.cpp computes for one row: the decoded weights times the activations quantized and decoded back,
     * in double; for Q4_1 and Q5_1 each block's minimum {@code m} meets the stored sum {@code s} instead of
     * {@code d * sum(q)}, which adds {@code m * (s - d * sum(q))} per block.
     */
    private static double llamaCppDot(GgmlType type, MemorySegment weights, float[] decoded, int row,
                                      int rowLength, float[] x) {
        byte[] quants = new byte[rowLength];
        float[] scales = new float[rowLength / 32];
        float[] sums = new float[rowLength / 32];
        ActivationQuantization.q8_1(x, 0, rowLength, quants, scales, sums);
        double dot = 0;
        for (int i = 0; i < rowLength; i++) {
            dot += (double) decoded[row * rowLength + i] * (quants[i] * scales[i / 32]);
        }
        if (type == GgmlType.Q4_1 || type == GgmlType.Q5_1) {
            long rowBytes = (long) rowLength / 32 * type.blockBytes();
            for (int b = 0; b < rowLength / 32; b++) {
                long at = row * rowBytes + b * type.blockBytes();
                double m = Float.float16ToFloat(weights.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED
                        .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at + 2));
                int sum = 0;
                for (int j = 0; j < 32; j++) {
                    sum += quants[b * 32 + j];
                }
                dot += m * (sums[b] - (double) scales[b] * sum);
            }
        }
        return dot;
    }

    /**
     * {@code values} quantized by the gguf module's encoder; for IQ4_NL, which it has none for, random blocks
     * (every nibble is a valid index) with scales near 0.05 / 127, like the others'.
     */
    private static byte[] encode(GgmlType type, float[] values, Random random) {
        if (Codecs.quantizer(type).isPresent()) {
            return Codecs.quantize(type, values);
        }
        byte[] bytes = new byte[values.length / 32 * type.blockBytes()];
        random.nextBytes(bytes);
        for (int at = 0; at < bytes.length; at += type.blockBytes()) {
            short d = Float.floatToFloat16((float) (0.05 / 127 * (0.5 + random.nextDouble())));
            bytes[at] = (byte) d;
            bytes[at + 1] = (byte) (d >> 8);
        }
        return bytes;
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
