package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.Codecs;
import io.jllm.gguf.codec.Quantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.jllm.engine.quant.ReferenceProduct.bits;
import static io.jllm.engine.quant.ReferenceProduct.nanOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kernel against the reference codecs on random weights: ragged row ranges, rows of one to many blocks
 * (crossing the kernels' 256-weight chunks), and 1 to 8 activation vectors. Run at every vector width by the
 * extra surefire executions of this module.
 */
class KernelAgreementTest {

    private static final int ROWS = 13;
    private static final int MAX_VECTORS = 8;
    /** Row ranges cycled through as the vector count grows: all rows, a ragged middle, the last row alone. */
    private static final int[][] ROW_RANGES = {{0, ROWS}, {2, 11}, {12, ROWS}};

    /**
     * Byte offsets, within a block, of the fp16 scales of the types without a reference quantizer. Their blocks
     * are random bytes, which are valid quants for these types, with these fields set to sane scales: random
     * fp16 bits would include NaN and infinity.
     */
    private static final Map<GgmlType, int[]> FP16_FIELDS = Map.of(
            GgmlType.Q2_K, new int[] {80, 82},
            GgmlType.Q3_K, new int[] {108},
            GgmlType.Q4_K, new int[] {0, 2},
            GgmlType.Q5_K, new int[] {0, 2},
            GgmlType.Q6_K, new int[] {208},
            GgmlType.IQ4_NL, new int[] {0},
            GgmlType.IQ4_XS, new int[] {0});

    static Stream<GgmlType> supported() {
        return KernelsTest.SUPPORTED.stream();
    }

    @ParameterizedTest
    @MethodSource("supported")
    void multiplyAgreesWithTheReferenceForOneToEightVectors(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        Random random = new Random(type.id());
        for (int rowLength : rowLengths(type)) {
            MemorySegment weights = randomWeights(type, ROWS * rowLength, random);
            ReferenceProduct reference = new ReferenceProduct(type, weights, ROWS, rowLength);
            float[][] x = new float[MAX_VECTORS][];
            Arrays.setAll(x, n -> gaussian(rowLength, 1f, random));
            for (int n = 1; n <= MAX_VECTORS; n++) {
                int[] range = ROW_RANGES[n % ROW_RANGES.length];
                float[][] vectors = Arrays.copyOf(x, n);
                float[][] out = nanOutputs(n, ROWS);
                kernel.multiply(weights, rowLength, range[0], range[1], vectors, out);
                reference.assertMatches(vectors, out, range[0], range[1],
                        type + ", rows of " + rowLength + ", " + n + " vectors, rows [" + range[0] + ", " + range[1] + ")");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("supported")
    void dequantizeRowIsTheReferenceBitForBit(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        Random random = new Random(100 + type.id());
        for (int rowLength : rowLengths(type)) {
            MemorySegment weights = randomWeights(type, ROWS * rowLength, random);
            ReferenceProduct reference = new ReferenceProduct(type, weights, ROWS, rowLength);
            for (int r = 0; r < ROWS; r++) {
                float[] row = new float[rowLength];
                kernel.dequantizeRow(weights, rowLength, r, row);
                assertThat(bits(row)).as("%s row %d of %d weights", type, r, rowLength)
                        .containsExactly(bits(reference.row(r)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("supported")
    void anEmptyRowRangeWritesNothing(GgmlType type) {
        int rowLength = type.blockSize() == 1 ? 64 : type.blockSize();
        MemorySegment weights = randomWeights(type, ROWS * rowLength, new Random(1));
        float[][] out = nanOutputs(2, ROWS);
        Kernels.forType(type).multiply(weights, rowLength, 5, 5, new float[2][rowLength], out);
        for (float[] o : out) {
            for (float value : o) {
                assertThat(value).as("%s output", type).isNaN();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("supported")
    void badShapesAreRefusedWithTheirNumbers(GgmlType type) {
        MatMulKernel kernel = Kernels.forType(type);
        int rowLength = type.blockSize() == 1 ? 64 : type.blockSize();
        MemorySegment weights = randomWeights(type, 2 * rowLength, new Random(2));
        float[][] x = new float[1][rowLength];
        if (type.blockSize() > 1) {
            assertThatThrownBy(() -> kernel.multiply(weights, rowLength + 16, 0, 1, x, new float[1][1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(type.name()).hasMessageContaining(String.valueOf(rowLength + 16));
        }
        assertThatThrownBy(() -> kernel.multiply(weights, rowLength, 0, 3, x, new float[1][3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 3 rows");
        assertThatThrownBy(() -> kernel.multiply(weights, rowLength, 0, 2, x, new float[1][1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output 0");
        assertThatThrownBy(() -> kernel.dequantizeRow(weights, rowLength, 2, new float[rowLength]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 3 rows");
    }

    /** One block, a few, and many (past one 256-weight chunk, ending mid-chunk); odd lengths for plain types. */
    private static int[] rowLengths(GgmlType type) {
        if (type.blockSize() == 1) {
            return new int[] {1, 7, 100, 257, 600};
        }
        int[] blocks = type.blockSize() < 256 ? new int[] {1, 3, 9, 25} : new int[] {1, 3, 9};
        return IntStream.of(blocks).map(count -> count * type.blockSize()).toArray();
    }

    private static MemorySegment randomWeights(GgmlType type, int elements, Random random) {
        MemorySegment weights = MemorySegment.ofArray(new byte[Math.toIntExact(type.bytesFor(elements))]);
        Optional<Quantizer> quantizer = Codecs.quantizer(type);
        if (quantizer.isPresent()) {
            quantizer.get().quantize(gaussian(elements, 0.05f, random), 0, elements, weights, 0);
            return weights;
        }
        int[] fp16Fields = FP16_FIELDS.get(type);
        assertThat(fp16Fields).as("fp16 fields of %s, which has no reference quantizer", type).isNotNull();
        for (long i = 0; i < weights.byteSize(); i++) {
            weights.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
        }
        ValueLayout.OfShort fp16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long block = 0; block < weights.byteSize(); block += type.blockBytes()) {
            for (int field : fp16Fields) {
                float scale = (random.nextBoolean() ? 1 : -1) * (0.0005f + 0.01f * random.nextFloat());
                weights.set(fp16, block + field, Float.floatToFloat16(scale));
            }
        }
        return weights;
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
