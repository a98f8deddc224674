package io.jllm.engine.model;

import io.jllm.engine.quant.MatMulKernel;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix still inside the mapped file: {@code rows} rows of {@code columns} elements (ggml's ne1 and
 * ne0), with the kernel for its storage type.
 */
public record Matrix(String name, MatMulKernel kernel, MemorySegment data, int columns, int rows) {

    /** Decodes row {@code row} (an embedding lookup) into {@code dst}. */
    public void row(int row, float[] dst) {
        kernel.dequantizeRow(data, columns, row, dst);
    }
}
