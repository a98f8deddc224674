package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;

import java.lang.foreign.MemorySegment;
import java.util.function.Function;

/** Repacks a matrix into an {@link InterleavedLayout}, a quad of rows per piece. */
final class InterleavedRepacker implements Repacker {
    /** Places one stored block's quants into its group, after its fp16 scale was copied. */
    @FunctionalInterface
    interface QuantPlacer {
        /**
         * @param src   the GGUF rows of one quad
         * @param from  index in {@code src} of the block (its fp16 scale, then its quants)
         * @param group the block's group
         * @param row   the block's row within the quad (0..3)
         * @param lane  the block's lane within the group
         */
        void place(byte[] src, int from, byte[] group, int row, int lane);
    }

    private final MemorySegment src;
    private final int columns;
    private final int rows;
    private final int rowBytes;
    private final long groupBytes;
    private final InterleavedLayout.LanePlacer lanes;
    private final Function<InterleavedLayout, IntegerMatrix> matrix;

    /**
     * @param rowBytes  bytes of one stored row
     * @param groupBytes bytes of one group of the layout (4 rows of {@link InterleavedLayout#GROUP} lanes)
     * @param lanes     where each lane's data goes in its group
     * @param matrix    the integer matrix over a filled layout
     */
    InterleavedRepacker(MemorySegment src, int columns, int rows, int rowBytes, long groupBytes,
                        InterleavedLayout.LanePlacer lanes, Function<InterleavedLayout, IntegerMatrix> matrix) {
        this.src = src;
        this.columns = columns;
        this.rows = rows;
        this.rowBytes = rowBytes;
        this.groupBytes = groupBytes;
        this.lanes = lanes;
        this.matrix = matrix;
    }

    /**
     * For types whose 32-weight blocks are {@code blockBytes} bytes, an fp16 scale then {@code quantBytes} of
     * quants: the scale goes to the lane's scale slot, the quants through {@code quants}. The leading
     * {@code columns} of stored rows {@code rowBytes} apart are repacked (all of them when the rows hold just
     * those columns).
     */
    static InterleavedRepacker ofScaledBlocks(MemorySegment src, int columns, int rows, int rowBytes,
                                              int blockBytes, int quantBytes, QuantPlacer quants,
                                              Function<InterleavedLayout, IntegerMatrix> matrix) {
        return new InterleavedRepacker(src, columns, rows, rowBytes,
                InterleavedLayout.scaledGroupBytes(quantBytes),
                (quad, rowStart, block, group, row, lane) -> {
                    int from = rowStart + block * blockBytes;
                    int scale = (int) InterleavedLayout.scaleOffset(row, lane);
                    group[scale] = quad[from];
                    group[scale + 1] = quad[from + 1];
                    quants.place(quad, from, group, row, lane);
                }, matrix);
    }

    @Override
    public long byteSize() {
        return InterleavedLayout.byteSize(rows, columns, groupBytes);
    }

    @Override
    public int pieces() {
        return Math.ceilDiv(rows, 4);
    }

    @Override
    public void fill(MemorySegment copy, int from, int to) {
        new InterleavedLayout(rows, columns, groupBytes, copy).fill(src, rowBytes, lanes, from, to);
    }

    @Override
    public IntegerMatrix wrap(MemorySegment copy) {
        return matrix.apply(new InterleavedLayout(rows, columns, groupBytes, copy));
    }
}
