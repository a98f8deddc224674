package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;

import java.lang.foreign.MemorySegment;
import java.util.function.Function;

/** Repacks a matrix of fp16-scaled blocks into an {@link InterleavedLayout}, a quad of rows per piece. */
final class InterleavedRepacker implements Repacker {
    private final MemorySegment src;
    private final int columns;
    private final int rows;
    private final int blockBytes;
    private final int quantBytes;
    private final InterleavedLayout.QuantPlacer placer;
    private final Function<InterleavedLayout, IntegerMatrix> matrix;

    /**
     * @param blockBytes bytes of a stored block: an fp16 scale, then {@code quantBytes} of quants
     * @param placer     where a block's quants go in its group
     * @param matrix     the integer matrix over a filled layout
     */
    InterleavedRepacker(MemorySegment src, int columns, int rows, int blockBytes, int quantBytes,
                        InterleavedLayout.QuantPlacer placer, Function<InterleavedLayout, IntegerMatrix> matrix) {
        this.src = src;
        this.columns = columns;
        this.rows = rows;
        this.blockBytes = blockBytes;
        this.quantBytes = quantBytes;
        this.placer = placer;
        this.matrix = matrix;
    }

    @Override
    public long byteSize() {
        return InterleavedLayout.byteSize(rows, columns, quantBytes);
    }

    @Override
    public int pieces() {
        return Math.ceilDiv(rows, 4);
    }

    @Override
    public void fill(MemorySegment copy, int from, int to) {
        new InterleavedLayout(rows, columns, quantBytes, copy).fill(src, blockBytes, placer, from, to);
    }

    @Override
    public IntegerMatrix wrap(MemorySegment copy) {
        return matrix.apply(new InterleavedLayout(rows, columns, quantBytes, copy));
    }
}
