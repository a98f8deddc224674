package io.jllm.bench.jmh;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.Codecs;
import io.jllm.gguf.codec.Quantizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Off-heap weight matrices for the kernel benchmarks, laid out as in a GGUF file. Types with a reference
 * quantizer get Gaussian weights quantized by it; the others (no quantizer in {@code gguf}) get random bytes
 * whose fp16 scale fields are set to a normal value, so no block decodes to infinities, NaN or subnormals, which
 * would change the speed.
 */
final class RandomMatrix {
    /** Byte offsets of the fp16 scale fields in a block of the types without a quantizer. */
    private static final Map<GgmlType, int[]> SCALE_OFFSETS = Map.of(
            GgmlType.Q2_K, new int[] {80, 82},
            GgmlType.Q3_K, new int[] {108},
            GgmlType.IQ4_NL, new int[] {0},
            GgmlType.IQ4_XS, new int[] {0});
    /** fp16 1/64: a typical scale magnitude. */
    private static final short SCALE = 0x2400;

    private RandomMatrix() {
    }

    static MemorySegment of(GgmlType type, int rows, int columns, long seed) {
        if (columns % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " needs rows of whole blocks of " + type.blockSize()
                    + ", got " + columns + " columns");
        }
        long rowBytes = (long) columns / type.blockSize() * type.blockBytes();
        MemorySegment data = Arena.ofAuto().allocate(rowBytes * rows, 64);
        SplittableRandom random = new SplittableRandom(seed);
        Quantizer quantizer = Codecs.quantizer(type).orElse(null);
        if (quantizer != null) {
            float[] row = new float[columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    row[c] = (float) (random.nextGaussian() * 0.02);
                }
                quantizer.quantize(row, 0, columns, data, r * rowBytes);
            }
            return data;
        }
        int[] scales = SCALE_OFFSETS.get(type);
        if (scales == null) {
            throw new IllegalArgumentException("no way to make random " + type + " weights");
        }
        for (long i = 0; i < data.byteSize(); i += 8) {
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
        for (long block = 0; block < data.byteSize(); block += type.blockBytes()) {
            for (int offset : scales) {
                data.set(ValueLayout.JAVA_SHORT_UNALIGNED, block + offset, SCALE);
            }
        }
        return data;
    }

    /** {@code n} activation vectors of {@code length} floats, N(0, 1). */
    static float[][] activations(int n, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[n][length];
        for (float[] row : x) {
            for (int i = 0; i < length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return x;
    }
}
