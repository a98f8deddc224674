package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * A decoding kernel whose blocks (a scale and quants per 32 weights) also have a repacked layout and a view of the
 * stored blocks for integer products: the whole matrix repacked, or its leading groups repacked and its trailing
 * blocks on a view of a compact copy (a split), or the stored blocks viewed as they are. Each type names its two
 * integer forms; the shapes are checked here once for all.
 */
abstract class RepackingKernel extends DecodingKernel {

    RepackingKernel(GgmlType type, int blockSize, int blockBytes) {
        super(type, blockSize, blockBytes);
    }

    /** The type's repacker for the leading {@code columns} of {@code rows} rows stored {@code rowBytes} apart. */
    abstract Repacker repack(MemorySegment src, int columns, int rows, int rowBytes);

    /** The type's view of {@code rows} stored rows of {@code columns} weights. */
    abstract StoredBlockView view(MemorySegment data, int columns, int rows);

    @Override
    public final Optional<Repacker> repacker(MemorySegment weights, int rowLength, int rows) {
        return leadingRepacker(weights, rowLength, rows, rowLength);
    }

    @Override
    public final Optional<Repacker> leadingRepacker(MemorySegment weights, int rowLength, int rows, int columns) {
        int rowBytes = Math.toIntExact(Shapes.rowBytes(type(), blockSize(), blockBytes(), weights, rowLength, 0, rows));
        Shapes.checkLeading(type(), columns, rowLength);
        return Optional.of(repack(weights, columns, rows, rowBytes));
    }

    @Override
    public final Optional<IntegerMatrix> trailing(MemorySegment weights, int rowLength, int rows, int from) {
        return Optional.of(view(trailingBlocks(weights, rowLength, rows, from), rowLength - from, rows).adding());
    }

    @Override
    public final Optional<IntegerMatrix> integer(MemorySegment weights, int rowLength, int rows) {
        return Optional.of(view(weights, rowLength, rows));
    }

    /**
     * The blocks of columns {@code [from, rowLength)} of each of the {@code rows} rows, copied row after row into
     * off-heap memory of their own (the trailing columns of a split matrix: a few blocks per row, so the file's
     * pages need not stay resident for them).
     */
    private MemorySegment trailingBlocks(MemorySegment weights, int rowLength, int rows, int from) {
        long rowBytes = Shapes.rowBytes(type(), blockSize(), blockBytes(), weights, rowLength, 0, rows);
        if (from <= 0 || from >= rowLength || from % blockSize() != 0) {
            throw new IllegalArgumentException("columns from " + from + " of " + type() + " rows of " + rowLength
                    + " are not a trailing run of whole blocks");
        }
        long skip = (long) from / blockSize() * blockBytes();
        long tailBytes = rowBytes - skip;
        MemorySegment tail = Arena.ofAuto().allocate(tailBytes * rows, 64);
        for (long r = 0; r < rows; r++) {
            MemorySegment.copy(weights, r * rowBytes + skip, tail, r * tailBytes, tailBytes);
        }
        return tail;
    }
}
