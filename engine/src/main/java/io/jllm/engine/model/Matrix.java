package io.jllm.engine.model;

import io.jllm.engine.quant.MatMulKernel;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;
import io.jllm.engine.quant.SplitActivations;
import io.jllm.engine.quant.SplitMatrix;
import io.jllm.engine.quant.type.Q8_0Activations;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix: {@code rows} rows of {@code columns} elements (ggml's ne1 and ne0) still inside the mapped file,
 * with the kernel for its storage type, and, for types with an integer path, the matrix for integer products
 * ({@code integer}: a repacked copy or a view of {@code data}; else null). Products use {@code integer} when
 * present; row lookups always read {@code data}.
 */
public record Matrix(String name, MatMulKernel kernel, MemorySegment data, int columns, int rows,
                     IntegerMatrix integer) {

    /** A matrix used as stored. */
    public Matrix(String name, MatMulKernel kernel, MemorySegment data, int columns, int rows) {
        this(name, kernel, data, columns, rows, null);
    }

    /** Decodes row {@code row} (an embedding lookup) into {@code dst}. */
    public void row(int row, float[] dst) {
        kernel.dequantizeRow(data, columns, row, dst);
    }

    /**
     * This matrix with its integer path, when its type has one: a repacked copy (from {@code repacked}) where the
     * type has a repacked layout, split from a few trailing blocks where that beats padding them (a split pads
     * nothing) or else padded where that wastes little memory on this shape; otherwise a view of the stored
     * blocks. The mapped pages read while repacking are released (only the copy serves products), so the weights
     * are not resident twice.
     */
    Matrix forProducts(RepackedWeights repacked) {
        if (integer != null) {
            return this;
        }
        if (splitsBetterThanPadded(columns)) {
            int head = SplitActivations.headColumns(columns);
            Repacker repacker = kernel.leadingRepacker(data, columns, rows, head).orElse(null);
            IntegerMatrix tail = repacker == null ? null : kernel.trailing(data, columns, rows, head).orElse(null);
            if (tail != null) {
                return withProducts(new SplitMatrix(repackedCopy(repacked, head, repacker), tail));
            }
        }
        if (repacksWithoutWaste(columns, rows)) {
            Repacker repacker = kernel.repacker(data, columns, rows).orElse(null);
            if (repacker != null) {
                return withProducts(repackedCopy(repacked, columns, repacker));
            }
        }
        return kernel.integer(data, columns, rows).map(this::withProducts).orElse(this);
    }

    /** This matrix with {@code products} as its integer path. */
    private Matrix withProducts(IntegerMatrix products) {
        return new Matrix(name, kernel, data, columns, rows, products);
    }

    /**
     * The repacked copy of the leading {@code repackedColumns} of each row (from the cache or made now); the
     * mapped pages read for it are released, since only the copy serves products.
     */
    private IntegerMatrix repackedCopy(RepackedWeights repacked, int repackedColumns, Repacker repacker) {
        IntegerMatrix packed = repacked.matrix(name, kernel.type(), repackedColumns, rows, repacker);
        if (data.isMapped()) {
            data.unload();
        }
        return packed;
    }

    /**
     * Whether rows of {@code columns} are better split ({@link SplitMatrix}: whole groups repacked, the trailing
     * blocks on a stored-block view) than padded to whole groups: when the tail is under half a group, as a block
     * on the view costs about two repacked ones (SmolLM2's 576 columns: 512 + 64, against 1024 padded).
     */
    static boolean splitsBetterThanPadded(int columns) {
        int head = SplitActivations.headColumns(columns);
        return head > 0 && head < columns && 2 * (columns - head) < Q8_0Activations.GROUP_COLUMNS;
    }

    /** Padding a repacked copy may add, in weights, before it is not worth its memory. */
    private static final long MAX_PADDING_WEIGHTS = 1L << 20;

    /**
     * The repacked copy pads rows to whole block groups. Where that adds more than an eighth of the weights and
     * more than a million padding weights (a 640-wide, 262k-row embedding like Gemma 3's would grow from 178 to
     * 285 MB, were it not split), the memory costs more than the repacked kernels gain, and the matrix stays on its
     * stored blocks.
     */
    static boolean repacksWithoutWaste(int columns, int rows) {
        long padding = (long) (Q8_0Activations.paddedColumns(columns) - columns) * rows;
        return padding * 8 <= (long) columns * rows || padding <= MAX_PADDING_WEIGHTS;
    }
}
