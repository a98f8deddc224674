package io.jllm.engine.quant.type;

import io.jllm.engine.quant.VectorWidth;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where a repacked matrix keeps each block. Rows go in quads (four rows interleaved, so one activation load
 * serves four rows), blocks in groups of {@link Q8_0Activations#GROUP} (one block per int lane, so a group's
 * integer dot products land in one int vector), and columns in slices of {@link #SLICE_COLUMNS} (so a kernel
 * streams one contiguous run of memory and its activation slice stays in L1). Layout:
 * <pre>
 * for each column slice, for each quad of rows, for each group in the slice:
 *     the 4 rows' fp16 scales of the group's blocks (4 x GROUP x 2 bytes), then the type's quants
 * </pre>
 * Rows are padded to whole quads and columns to whole groups with zero blocks, which contribute nothing.
 */
final class InterleavedLayout {
    static final int GROUP = Q8_0Activations.GROUP;
    static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);
    static final VectorSpecies<Short> SHORTS = FLOATS.withLanes(short.class);
    /** One fp16 scale per int lane. */
    static final VectorSpecies<Short> SCALES = VectorSpecies.of(short.class,
            VectorShape.forBitSize(FLOATS.vectorBitSize() / 2));
    /** One signed byte per short lane. */
    static final VectorSpecies<Byte> HALF_BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(FLOATS.vectorBitSize() / 2));
    /** Columns per slice (about the width that measured best on 8192-long rows), in whole groups. */
    static final int SLICE_COLUMNS = Math.max(1, 2048 / Q8_0Activations.GROUP_COLUMNS) * Q8_0Activations.GROUP_COLUMNS;

    final int rows;
    final int columns;
    final int quads;
    final int groups;
    final int sliceGroups;
    final long groupBytes;
    final MemorySegment data;

    InterleavedLayout(int rows, int columns, int quantBytesPerBlock) {
        this.rows = rows;
        this.columns = columns;
        this.quads = Math.ceilDiv(rows, 4);
        this.groups = Q8_0Activations.paddedColumns(columns) / Q8_0Activations.GROUP_COLUMNS;
        this.sliceGroups = SLICE_COLUMNS / Q8_0Activations.GROUP_COLUMNS;
        this.groupBytes = 4L * GROUP * (2 + quantBytesPerBlock);
        this.data = Arena.ofAuto().allocate(quads * groups * groupBytes, 64);
    }

    /** Places one GGUF block's quants into the repacked layout. */
    @FunctionalInterface
    interface QuantPlacer {
        /**
         * @param from  byte offset of the block in the GGUF data (its fp16 scale, then its quants)
         * @param group byte offset of the block's group in {@link #data}
         * @param row   the block's row within the quad (0..3)
         * @param lane  the block's lane within the group
         */
        void place(long from, long group, int row, int lane);
    }

    /**
     * Copies every block of a GGUF matrix ({@code rows} rows of {@code blockBytes}-byte blocks, each an fp16
     * scale followed by quants) to its place: the scale here, the quants through {@code quants}. Padding rows
     * and blocks stay zero.
     */
    void fill(MemorySegment src, int blockBytes, QuantPlacer quants) {
        int blocks = columns / 32;
        long rowBytes = (long) blocks * blockBytes;
        for (int quad = 0; quad < quads; quad++) {
            for (int g = 0; g < groups; g++) {
                long group = offset(quad, g);
                for (int i = 0; i < 4; i++) {
                    int row = quad * 4 + i;
                    for (int l = 0; l < GROUP; l++) {
                        int block = g * GROUP + l;
                        if (row >= rows || block >= blocks) {
                            continue;
                        }
                        long from = row * rowBytes + (long) block * blockBytes;
                        data.set(Blocks.SHORT_LE, group + scaleOffset(i, l), src.get(Blocks.SHORT_LE, from));
                        quants.place(from, group, i, l);
                    }
                }
            }
        }
    }

    /** Byte offset of group {@code g} of quad {@code quad}. */
    long offset(int quad, int g) {
        int slice = g / sliceGroups;
        int first = slice * sliceGroups;
        int inSlice = Math.min(sliceGroups, groups - first);
        return ((long) quads * first + (long) quad * inSlice + (g - first)) * groupBytes;
    }

    /** Byte offset, within a group, of the fp16 scale of block {@code lane} of row {@code row} of the quad. */
    static long scaleOffset(int row, int lane) {
        return 2L * (row * GROUP + lane);
    }

    /** Checks that the quantized activations match this matrix and the outputs reach {@code rowEnd}. */
    void check(Q8_0Activations x, int rowStart, int rowEnd, float[][] out) {
        if (rowStart < 0 || rowStart > rowEnd || rowEnd > rows) {
            throw new IllegalArgumentException("bad row range [" + rowStart + ", " + rowEnd + ") of " + rows + " rows");
        }
        if (x.columns() != columns) {
            throw new IllegalArgumentException("activations of " + x.columns() + " values for rows of " + columns);
        }
        if (out.length < x.vectors()) {
            throw new IllegalArgumentException(x.vectors() + " activation vectors but " + out.length + " outputs");
        }
        for (int n = 0; n < x.vectors(); n++) {
            if (out[n].length < rowEnd) {
                throw new IllegalArgumentException("output " + n + " holds " + out[n].length
                        + " floats, the rows go up to " + rowEnd);
            }
        }
    }
}
