package io.jllm.engine.quant.type;

import io.jllm.engine.quant.MatMulKernel;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.jllm.engine.quant.type.Blocks.FLOATS;
import static io.jllm.engine.quant.type.Blocks.LANES;

/**
 * The matrix product shared by every block type: a row is decoded {@link #CHUNK} weights at a time into floats
 * (vectorized, by the type's {@link #decode}), and that chunk is then multiplied with the matching slice of
 * every activation vector, so each block is unpacked once however many vectors there are. The chunk and the
 * activation slices stay in L1; each vector's partial sums stay lane-wise until the row ends.
 */
abstract class DecodingKernel implements MatMulKernel {

    /** Weights decoded at a time: a whole number of blocks of every type and of vector lengths. */
    static final int CHUNK = 256;

    private final GgmlType type;
    private final int blockSize;
    private final int blockBytes;

    DecodingKernel(GgmlType type, int blockSize, int blockBytes) {
        this.type = type;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    /** Weights per block, as this kernel's layout has it. */
    final int blockSize() {
        return blockSize;
    }

    /** Bytes per block, as this kernel's layout has it. */
    final int blockBytes() {
        return blockBytes;
    }

    /**
     * Decodes {@code count} weights (a whole number of blocks) stored from byte {@code offset} of {@code weights}
     * into {@code dst[at, at + count)}, bit for bit as the type's scalar formula.
     */
    abstract void decode(MemorySegment weights, long offset, int count, float[] dst, int at);

    @Override
    public final void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x,
                               float[][] out) {
        long rowBytes = Shapes.rowBytes(type, blockSize, blockBytes, weights, rowLength, rowStart, rowEnd);
        Shapes.checkVectors(x, out, rowLength, rowEnd);
        int vectors = x.length;
        float[] decoded = new float[Math.min(CHUNK, rowLength)];
        float[] sums = new float[vectors * LANES];
        float[] tails = new float[vectors];
        for (int r = rowStart; r < rowEnd; r++) {
            Arrays.fill(sums, 0f);
            Arrays.fill(tails, 0f);
            long rowOffset = r * rowBytes;
            for (int i = 0; i < rowLength; i += CHUNK) {
                int count = Math.min(CHUNK, rowLength - i);
                decode(weights, rowOffset + (long) (i / blockSize) * blockBytes, count, decoded, 0);
                int bound = FLOATS.loopBound(count);
                for (int n = 0; n < vectors; n++) {
                    float[] xn = x[n];
                    FloatVector acc = FloatVector.fromArray(FLOATS, sums, n * LANES);
                    for (int j = 0; j < bound; j += LANES) {
                        acc = FloatVector.fromArray(FLOATS, decoded, j)
                                .fma(FloatVector.fromArray(FLOATS, xn, i + j), acc);
                    }
                    acc.intoArray(sums, n * LANES);
                    float tail = 0f;
                    for (int j = bound; j < count; j++) {
                        tail += decoded[j] * xn[i + j];
                    }
                    tails[n] += tail;
                }
            }
            for (int n = 0; n < vectors; n++) {
                out[n][r] = FloatVector.fromArray(FLOATS, sums, n * LANES).reduceLanes(VectorOperators.ADD)
                        + tails[n];
            }
        }
    }

    @Override
    public final void dequantizeRow(MemorySegment weights, int rowLength, int row, float[] dst) {
        long rowBytes = Shapes.rowBytes(type, blockSize, blockBytes, weights, rowLength, row, row + 1);
        Shapes.checkDestination(dst, rowLength);
        decode(weights, row * rowBytes, rowLength, dst, 0);
    }
}
