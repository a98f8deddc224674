package io.jllm.engine.quant.type;

import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.VectorWidth;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Where a repacked matrix keeps each block. Rows go in quads (four rows interleaved, so one activation load
 * serves four rows), blocks in groups of {@link Q8_0Activations#GROUP} (one block per int lane, so a group's
 * integer dot products land in one int vector), and columns in slices of {@link #SLICE_COLUMNS} (so a kernel
 * streams one contiguous run of memory and its activation slice stays in L1). Layout:
 * <pre>
 * for each column slice, for each quad of rows, for each group in the slice:
 *     the type's group of {@code groupBytes}: for Q4_0 and Q8_0 the 4 rows' fp16 scales of the group's blocks
 *     (4 x GROUP x 2 bytes), then the quants; the K-quants lay out their own
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

    /** The layout over {@code data}, which holds exactly {@link #byteSize} bytes, in groups of {@code groupBytes}. */
    InterleavedLayout(int rows, int columns, long groupBytes, MemorySegment data) {
        this.rows = rows;
        this.columns = columns;
        this.quads = Math.ceilDiv(rows, 4);
        this.groups = Q8_0Activations.paddedColumns(columns) / Q8_0Activations.GROUP_COLUMNS;
        this.sliceGroups = SLICE_COLUMNS / Q8_0Activations.GROUP_COLUMNS;
        this.groupBytes = groupBytes;
        if (data.byteSize() != byteSize(rows, columns, groupBytes)) {
            throw new IllegalArgumentException("a repacked matrix of " + rows + " rows of " + columns + " takes "
                    + byteSize(rows, columns, groupBytes) + " bytes, not " + data.byteSize());
        }
        this.data = data;
    }

    /** Bytes of the layout for {@code rows} rows of {@code columns} weights. */
    static long byteSize(int rows, int columns, long groupBytes) {
        long groups = Q8_0Activations.paddedColumns(columns) / Q8_0Activations.GROUP_COLUMNS;
        return Math.ceilDiv(rows, 4) * groups * groupBytes;
    }

    /** Bytes of a group that holds an fp16 scale and {@code quantBytesPerBlock} bytes of quants per block. */
    static long scaledGroupBytes(int quantBytesPerBlock) {
        return 4L * GROUP * (2 + quantBytesPerBlock);
    }

    /** Places one lane (32 weights of one row) of a quad's GGUF rows into its group. */
    @FunctionalInterface
    interface LanePlacer {
        /**
         * @param src      the GGUF rows of one quad
         * @param rowStart index in {@code src} where the lane's row starts
         * @param block    the lane's 32-weight block within its row
         * @param group    the lane's group, {@link #groupBytes} bytes
         * @param row      the lane's row within the quad (0..3)
         * @param lane     the lane within the group
         */
        void place(byte[] src, int rowStart, int block, byte[] group, int row, int lane);
    }

    /**
     * Copies every lane of quads {@code [quadStart, quadEnd)} of a GGUF matrix ({@code rows} rows of
     * {@code rowBytes} bytes) to its place through {@code lanes}. A quad's rows are read, and each of its groups
     * written, in one bulk copy. Padding rows and blocks are written as zeros.
     */
    void fill(MemorySegment src, int rowBytes, LanePlacer lanes, int quadStart, int quadEnd) {
        int blocks = columns / 32;
        byte[] quad = new byte[Math.multiplyExact(4, rowBytes)];
        byte[] group = new byte[Math.toIntExact(groupBytes)];
        for (int q = quadStart; q < quadEnd; q++) {
            int quadRows = Math.min(4, rows - 4 * q);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 4L * q * rowBytes, quad, 0, quadRows * rowBytes);
            for (int g = 0; g < groups; g++) {
                Arrays.fill(group, (byte) 0);
                int count = Math.min(GROUP, blocks - g * GROUP);
                for (int i = 0; i < quadRows; i++) {
                    for (int l = 0; l < count; l++) {
                        lanes.place(quad, i * rowBytes, g * GROUP + l, group, i, l);
                    }
                }
                MemorySegment.copy(group, 0, data, ValueLayout.JAVA_BYTE, offset(q, g), group.length);
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

    /**
     * A repacked kernel's products of one quad of rows with one or two activation vectors, over groups
     * {@code [first, last)} of one column slice starting at byte {@code base}; a slice after the first adds to
     * {@code out}.
     */
    interface QuadKernel<X extends QuantizedActivations> {
        /** Vectors {@code n} and {@code n + 1}, each weight unpacked once for both. */
        void pair(X x, int n, long base, int first, int last, float[][] out, int quad, int rowStart, int rowEnd);

        /** Vector {@code n}. */
        void single(X x, int n, long base, int first, int last, float[][] out, int quad, int rowStart, int rowEnd);
    }

    /**
     * A quad kernel whose weights can be unpacked once per quad and slice ({@link UnpackedQuad}) when many
     * vectors pass over them.
     */
    interface UnpackingQuadKernel<X extends QuantizedActivations> extends QuadKernel<X> {
        /** Unpacks groups {@code [first, last)} of the quad whose slice starts at byte {@code base}. */
        void unpack(long base, int first, int last, UnpackedQuad into);

        /**
         * Adds group {@code g} (the slice's {@code gi}) of the unpacked quad times vectors {@code n .. n + 3} to
         * {@link UnpackedQuad#accumulators}: {@link UnpackedQuad#sumFour}, then the block scales.
         */
        void fourGroup(X x, int n, int g, int gi, UnpackedQuad quadSlice);

        /**
         * Stores (adds after the first slice) the accumulated sums of vectors {@code n .. n + 3} to their rows
         * of {@code out}.
         */
        default void storeFour(X x, int n, long base, int first, int last, UnpackedQuad quadSlice, float[][] out,
                               int quad, int rowStart, int rowEnd) {
            for (int v = 0; v < 4; v++) {
                Q4_0Interleaved.storeSums(quadSlice.accumulators, 4 * v * GROUP, out[n + v], quad * 4, rowStart,
                        rowEnd, first > 0);
            }
        }
    }

    /**
     * Vectors from which an unpacking kernel unpacks each quad slice once instead of for every pair (one thread,
     * 8192 x 2048 from L3: about even with the pair kernels at 4 to 8 vectors, from 16 on 8% faster for Q4_0
     * and 1.65 times for Q6_K).
     */
    static final int UNPACK_FROM_VECTORS = 4;

    /**
     * {@code out[n][r] = dot(W[r], x[n])} for the rows {@code [rowStart, rowEnd)}: slice by slice (so that each
     * slice of activations stays in L1), quad by quad, vectors two at a time through {@code kernel} (from an
     * {@link UnpackedQuad} when the kernel unpacks and the vectors are many).
     */
    <X extends QuantizedActivations> void multiply(X x, int rowStart, int rowEnd, float[][] out,
                                                   QuadKernel<X> kernel) {
        check(x, rowStart, rowEnd, out);
        if (rowStart == rowEnd) {
            return;
        }
        int quadEnd = Math.ceilDiv(rowEnd, 4);
        int vectors = x.vectors();
        UnpackingQuadKernel<X> unpacking = vectors >= UNPACK_FROM_VECTORS
                && kernel instanceof UnpackingQuadKernel<X> unpacks ? unpacks : null;
        UnpackedQuad quadSlice = unpacking == null ? null : UnpackedQuad.scratch();
        for (int first = 0; first < groups; first += sliceGroups) {
            int last = Math.min(groups, first + sliceGroups);
            for (int quad = rowStart / 4; quad < quadEnd; quad++) {
                long base = offset(quad, first);
                int n = 0;
                if (unpacking != null) {
                    unpacking.unpack(base, first, last, quadSlice);
                    for (; n + 3 < vectors; n += 4) {
                        Arrays.fill(quadSlice.accumulators, 0f);
                        for (int g = first; g < last; g++) {
                            unpacking.fourGroup(x, n, g, g - first, quadSlice);
                        }
                        unpacking.storeFour(x, n, base, first, last, quadSlice, out, quad, rowStart, rowEnd);
                    }
                }
                for (; n + 1 < vectors; n += 2) {
                    kernel.pair(x, n, base, first, last, out, quad, rowStart, rowEnd);
                }
                if (n < vectors) {
                    kernel.single(x, n, base, first, last, out, quad, rowStart, rowEnd);
                }
            }
        }
    }

    /** Checks that the quantized activations match this matrix and the outputs reach {@code rowEnd}. */
    void check(QuantizedActivations x, int rowStart, int rowEnd, float[][] out) {
        Shapes.checkProduct(rows, columns, x, rowStart, rowEnd, out);
    }
}
