package io.jllm.engine.quant.type;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.jllm.engine.quant.type.Blocks.FLOATS;
import static io.jllm.engine.quant.type.Blocks.LANES;

/**
 * One matrix product over decoded chunks: the kernel decodes {@link #CHUNK} weights of a row into
 * {@link #decoded()}, {@link #accumulate} multiplies them with the matching slice of every activation vector, and
 * {@link #finishRow} writes the row's dot products. Each block is so unpacked once for all vectors, and the chunk
 * and the activation slices stay in L1. Partial sums stay lane-wise until the row ends.
 */
final class ChunkedProduct {

    /** Weights decoded at a time: a whole number of blocks of every type and of vector lengths. */
    static final int CHUNK = 256;

    private final int rowLength;
    private final int blockSize;
    private final int blockBytes;
    private final long rowBytes;
    private final float[][] x;
    private final float[][] out;
    private final float[] decoded;
    private final float[] sums;
    private final float[] tails;

    /** Checks the arguments of {@link DecodingKernel#multiply} and prepares the scratch space. */
    ChunkedProduct(DecodingKernel kernel, MemorySegment weights, int rowLength, int rowStart, int rowEnd,
                   float[][] x, float[][] out) {
        this.rowLength = rowLength;
        this.blockSize = kernel.blockSize();
        this.blockBytes = kernel.blockBytes();
        this.rowBytes = Shapes.rowBytes(kernel.type(), blockSize, blockBytes, weights, rowLength, rowStart, rowEnd);
        Shapes.checkVectors(x, out, rowLength, rowEnd);
        this.x = x;
        this.out = out;
        this.decoded = new float[Math.min(CHUNK, rowLength)];
        this.sums = new float[x.length * LANES];
        this.tails = new float[x.length];
    }

    /** Where the decoder writes the chunk. */
    float[] decoded() {
        return decoded;
    }

    /** Weights in the chunk that starts at column {@code column}. */
    int count(int column) {
        return Math.min(CHUNK, rowLength - column);
    }

    /** Byte offset of the block holding weight {@code column} of row {@code row}. */
    long offset(int row, int column) {
        return row * rowBytes + (long) (column / blockSize) * blockBytes;
    }

    /** Adds the products of the decoded chunk, which starts at {@code column}, with every activation vector. */
    void accumulate(int column, int count) {
        int bound = FLOATS.loopBound(count);
        for (int n = 0; n < x.length; n++) {
            float[] xn = x[n];
            FloatVector acc = FloatVector.fromArray(FLOATS, sums, n * LANES);
            for (int j = 0; j < bound; j += LANES) {
                acc = FloatVector.fromArray(FLOATS, decoded, j).fma(FloatVector.fromArray(FLOATS, xn, column + j), acc);
            }
            acc.intoArray(sums, n * LANES);
            float tail = 0f;
            for (int j = bound; j < count; j++) {
                tail += decoded[j] * xn[column + j];
            }
            tails[n] += tail;
        }
    }

    /** Writes the dot products of row {@code row} and starts the next row from zero. */
    void finishRow(int row) {
        for (int n = 0; n < x.length; n++) {
            out[n][row] = FloatVector.fromArray(FLOATS, sums, n * LANES).reduceLanes(VectorOperators.ADD) + tails[n];
        }
        Arrays.fill(sums, 0f);
        Arrays.fill(tails, 0f);
    }
}
