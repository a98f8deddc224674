package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Matrix products for weights stored in one ggml type. A weight matrix is {@code rows} rows of
 * {@code rowLength} elements, stored row after row in the type's blocks, exactly as in the GGUF file.
 * Kernels work on a range of rows and never own threads: the caller splits rows across workers.
 */
public interface MatMulKernel {

    /** The storage type this kernel reads. */
    GgmlType type();

    /**
     * For every row {@code r} in {@code [rowStart, rowEnd)} and every activation vector {@code n} in
     * {@code [0, x.length)}: {@code out[n][r] = dot(W[r], x[n])}. Each weight block is unpacked once for all
     * activation vectors. {@code x[n]} holds at least {@code rowLength} floats; {@code out[n]} at least
     * {@code rowEnd} floats.
     */
    void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out);

    /** Decodes row {@code row} into {@code dst[0, rowLength)} (embedding lookups, debugging). */
    void dequantizeRow(MemorySegment weights, int rowLength, int row, float[] dst);

    /**
     * How the matrix of {@code rows} rows is repacked for the integer path, when this type has a repacked layout
     * (the copy is apart from {@code weights}: the caller may release them once it is filled); empty otherwise.
     */
    default Optional<Repacker> repacker(MemorySegment weights, int rowLength, int rows) {
        return Optional.empty();
    }

    /**
     * How the leading {@code columns} of each row (whole blocks) are repacked, for a {@link SplitMatrix} whose
     * trailing columns go through {@link #trailing}; empty where the type has no repacked layout.
     */
    default Optional<Repacker> leadingRepacker(MemorySegment weights, int rowLength, int rows, int columns) {
        return Optional.empty();
    }

    /**
     * Integer products of columns {@code [from, rowLength)} of each row, added to the outputs (a
     * {@link SplitMatrix}'s trailing columns): a view of a compact copy of their blocks, so {@code weights} may be
     * released; empty where the type has no stored-block view.
     */
    default Optional<IntegerMatrix> trailing(MemorySegment weights, int rowLength, int rows, int from) {
        return Optional.empty();
    }

    /** The matrix of {@code rows} rows repacked into memory by this thread (see {@link #repacker}). */
    default Optional<IntegerMatrix> pack(MemorySegment weights, int rowLength, int rows) {
        return repacker(weights, rowLength, rows).map(repacker -> {
            MemorySegment copy = Arena.ofAuto().allocate(repacker.byteSize(), 64);
            repacker.fill(copy, 0, repacker.pieces());
            return repacker.wrap(copy);
        });
    }

    /**
     * The matrix of {@code rows} rows for integer products on its stored blocks (a view: {@code weights} must
     * stay mapped), when this type has such a kernel; empty for types that compute with floats.
     */
    default Optional<IntegerMatrix> integer(MemorySegment weights, int rowLength, int rows) {
        return Optional.empty();
    }
}
