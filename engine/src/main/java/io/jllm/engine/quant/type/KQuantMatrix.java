package io.jllm.engine.quant.type;

import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.QuantizedActivations;

import java.lang.foreign.MemorySegment;

/**
 * A K-quant matrix multiplied on its stored GGUF blocks (a view, nothing copied) with {@link Q8_KActivations}.
 * Holds the shape, the argument checks and the walk over rows, vectors and column tiles; each type's kernel is
 * its own subclass with a one-vector and a four-vector loop.
 */
abstract class KQuantMatrix implements IntegerMatrix {
    /** Rows taken together while each group of activation vectors passes over them (their blocks stay cached). */
    static final int ROW_BLOCK = 16;
    /**
     * Super-blocks per column tile when four vectors go together: their activations (4 x 1024 floats, 16 KB) stay
     * in the level-1 cache while the row block passes over them, instead of streaming from level 2 for every row.
     */
    static final int TILE_BLOCKS = 4;

    final MemorySegment data;
    final int rows;
    final int columns;
    final int blocks;
    final long rowBytes;

    KQuantMatrix(MemorySegment data, int columns, int rows, int blockBytes) {
        this.data = data;
        this.rows = rows;
        this.columns = columns;
        this.blocks = columns / Q8_KActivations.BLOCK;
        this.rowBytes = (long) blocks * blockBytes;
    }

    @Override
    public final void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        Q8_KActivations x = (Q8_KActivations) activations;
        check(x, rowStart, rowEnd, out);
        int vectors = x.vectors();
        for (int first = rowStart; first < rowEnd; first += ROW_BLOCK) {
            int last = Math.min(rowEnd, first + ROW_BLOCK);
            int n = 0;
            for (; n + 4 <= vectors; n += 4) {
                for (int from = 0; from < blocks; from += TILE_BLOCKS) {
                    int to = Math.min(blocks, from + TILE_BLOCKS);
                    for (int row = first; row < last; row++) {
                        four(x, n, row, from, to, out);
                    }
                }
            }
            for (; n < vectors; n++) {
                for (int row = first; row < last; row++) {
                    one(x, n, row, out);
                }
            }
        }
    }

    /** Row {@code row} times vector {@code n}, written to {@code out[n][row]}. */
    abstract void one(Q8_KActivations x, int n, int row, float[][] out);

    /**
     * Row {@code row}'s super-blocks {@code [from, to)} times vectors {@code n .. n + 3}, added to the outputs
     * (written when {@code from} is 0).
     */
    abstract void four(Q8_KActivations x, int n, int row, int from, int to, float[][] out);

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int columns() {
        return columns;
    }

    @Override
    public final ActivationFormat format() {
        return ActivationFormat.Q8_K;
    }

    @Override
    public final long byteSize() {
        return 0;
    }

    /** Checks that the activations match this matrix and the outputs reach {@code rowEnd}. */
    final void check(Q8_KActivations x, int rowStart, int rowEnd, float[][] out) {
        Shapes.checkProduct(rows, columns, x, rowStart, rowEnd, out);
    }
}
