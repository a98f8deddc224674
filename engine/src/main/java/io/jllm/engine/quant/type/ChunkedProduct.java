package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.jllm.engine.quant.type.Blocks.FLOATS;
import static io.jllm.engine.quant.type.Blocks.LANES;

/**
 * One matrix product over decoded chunks. The kernel's loop is
 * <pre>
 * while (product.next()) {
 *     decode(weights, product.offset(), product.count(), product.decoded(), 0);
 *     product.accumulate();
 * }
 * </pre>
 * {@link #next} walks the rows chunk by chunk, {@link #CHUNK} weights at a time, and the kernel decodes each chunk
 * once; {@link #accumulate} multiplies it with the matching slice of every activation vector. So that those
 * slices stay in L1 however many vectors there are, the columns are taken in tiles: every row's part in the
 * first tile, then every row's part in the next; each tile's dot products are added to the outputs.
 */
final class ChunkedProduct {

    /** Weights decoded at a time: a whole number of blocks of every type and of vector lengths. */
    static final int CHUNK = 256;
    /** Bytes of activations that one tile spans over all vectors: a common level-1 data cache (Zen 4's). */
    private static final int TILE_BYTES = 32 * 1024;

    private final int rowLength;
    private final int rowStart;
    private final int rowEnd;
    private final int blockSize;
    private final int blockBytes;
    private final long rowBytes;
    private final int tileColumns;
    private final float[][] x;
    private final float[][] out;
    private final float[] decoded;
    private final float[] sums;
    private final float[] tails;

    private int tileStart;
    private int tileEnd;
    private int row;
    private int column;
    private int count;

    /** Checks the arguments of {@link DecodingKernel#multiply} and prepares the scratch space. */
    ChunkedProduct(DecodingKernel kernel, MemorySegment weights, int rowLength, int rowStart, int rowEnd,
                   float[][] x, float[][] out) {
        this.rowLength = rowLength;
        this.rowStart = rowStart;
        this.rowEnd = rowEnd;
        this.blockSize = kernel.blockSize();
        this.blockBytes = kernel.blockBytes();
        this.rowBytes = Shapes.rowBytes(kernel.type(), blockSize, blockBytes, weights, rowLength, rowStart, rowEnd);
        Shapes.checkVectors(x, out, rowLength, rowEnd);
        this.tileColumns = Math.max(CHUNK, TILE_BYTES / Float.BYTES / Math.max(1, x.length) / CHUNK * CHUNK);
        this.x = x;
        this.out = out;
        this.decoded = new float[Math.min(CHUNK, rowLength)];
        this.sums = new float[x.length * LANES];
        this.tails = new float[x.length];
        this.tileEnd = Math.min(rowLength, tileColumns);
        this.row = rowStart;
        this.column = -CHUNK;
    }

    /** Moves to the next chunk; false when the product is complete. */
    boolean next() {
        if (rowStart == rowEnd) {
            return false;
        }
        column += CHUNK;
        if (column >= tileEnd) {
            finishTile();
            row++;
            column = tileStart;
            if (row >= rowEnd) {
                tileStart = tileEnd;
                tileEnd = Math.min(rowLength, tileStart + tileColumns);
                row = rowStart;
                column = tileStart;
                if (tileStart >= rowLength) {
                    return false;
                }
            }
        }
        count = Math.min(CHUNK, tileEnd - column);
        return true;
    }

    /** Byte offset of the current chunk's first block. */
    long offset() {
        return row * rowBytes + (long) (column / blockSize) * blockBytes;
    }

    /** Weights in the current chunk (a whole number of blocks). */
    int count() {
        return count;
    }

    /** Where the decoder writes the current chunk. */
    float[] decoded() {
        return decoded;
    }

    /**
     * Adds the products of the decoded chunk with every activation vector. Four independent sums per vector keep
     * the multiply-adds from waiting on each other.
     */
    void accumulate() {
        int bound4 = count / (4 * LANES) * (4 * LANES);
        int bound = FLOATS.loopBound(count);
        for (int n = 0; n < x.length; n++) {
            float[] xn = x[n];
            FloatVector acc0 = FloatVector.fromArray(FLOATS, sums, n * LANES);
            FloatVector acc1 = FloatVector.zero(FLOATS);
            FloatVector acc2 = FloatVector.zero(FLOATS);
            FloatVector acc3 = FloatVector.zero(FLOATS);
            int j = 0;
            for (; j < bound4; j += 4 * LANES) {
                acc0 = FloatVector.fromArray(FLOATS, decoded, j)
                        .fma(FloatVector.fromArray(FLOATS, xn, column + j), acc0);
                acc1 = FloatVector.fromArray(FLOATS, decoded, j + LANES)
                        .fma(FloatVector.fromArray(FLOATS, xn, column + j + LANES), acc1);
                acc2 = FloatVector.fromArray(FLOATS, decoded, j + 2 * LANES)
                        .fma(FloatVector.fromArray(FLOATS, xn, column + j + 2 * LANES), acc2);
                acc3 = FloatVector.fromArray(FLOATS, decoded, j + 3 * LANES)
                        .fma(FloatVector.fromArray(FLOATS, xn, column + j + 3 * LANES), acc3);
            }
            for (; j < bound; j += LANES) {
                acc0 = FloatVector.fromArray(FLOATS, decoded, j).fma(FloatVector.fromArray(FLOATS, xn, column + j), acc0);
            }
            acc0.add(acc1).add(acc2.add(acc3)).intoArray(sums, n * LANES);
            float tail = 0f;
            for (; j < count; j++) {
                tail += decoded[j] * xn[column + j];
            }
            tails[n] += tail;
        }
    }

    /** Adds the current row's dot products over the finished tile to the outputs and clears the sums. */
    private void finishTile() {
        for (int n = 0; n < x.length; n++) {
            float dot = Lanes.sum(FloatVector.fromArray(FLOATS, sums, n * LANES)) + tails[n];
            out[n][row] = tileStart == 0 ? dot : out[n][row] + dot;
        }
        Arrays.fill(sums, 0f);
        Arrays.fill(tails, 0f);
    }
}
