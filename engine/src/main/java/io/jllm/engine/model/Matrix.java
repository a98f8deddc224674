package io.jllm.engine.model;

import io.jllm.engine.quant.MatMulKernel;
import io.jllm.engine.quant.PackedMatrix;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix: {@code rows} rows of {@code columns} elements (ggml's ne1 and ne0) still inside the mapped file,
 * with the kernel for its storage type, and, for types with an integer path, the copy repacked for products
 * ({@code packed}, else null). Products use {@code packed} when present; row lookups always read {@code data}.
 */
public record Matrix(String name, MatMulKernel kernel, MemorySegment data, int columns, int rows, PackedMatrix packed) {

    /** A matrix used as stored. */
    public Matrix(String name, MatMulKernel kernel, MemorySegment data, int columns, int rows) {
        this(name, kernel, data, columns, rows, null);
    }

    /** Decodes row {@code row} (an embedding lookup) into {@code dst}. */
    public void row(int row, float[] dst) {
        kernel.dequantizeRow(data, columns, row, dst);
    }

    /**
     * This matrix with its repacked copy for products, when its type has an integer path. The mapped pages read
     * while repacking are released (only the copy serves products), so the weights are not resident twice.
     */
    public Matrix forProducts() {
        if (packed != null) {
            return this;
        }
        return kernel.pack(data, columns, rows).map(p -> {
            if (data.isMapped()) {
                data.unload();
            }
            return new Matrix(name, kernel, data, columns, rows, p);
        }).orElse(this);
    }
}
