package io.jllm.engine.model;

import io.jllm.engine.quant.Kernels;
import io.jllm.engine.quant.MatMulKernel;
import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.TensorInfo;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Looks up a model's tensors by their llama.cpp names and checks each once, at load: present, the expected
 * shape, a type jllm computes with. Every error names the tensor and what was expected.
 */
public final class TensorMapper {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GgufFile file;
    private final RepackedWeights repacked;

    TensorMapper(GgufFile file, RepackedWeights repacked) {
        this.file = file;
        this.repacked = repacked;
    }

    public boolean has(String name) {
        return file.findTensor(name).isPresent();
    }

    /** The number of rows (ne1) of a 2-D tensor, to size what depends on it (the vocabulary). */
    public int rows(String name) {
        TensorInfo t = require(name);
        if (t.dimensionCount() != 2) {
            throw new IllegalArgumentException("tensor '" + name + "': expected 2 dimensions, found shape "
                    + Arrays.toString(t.shape()));
        }
        return toInt(name, t.dim(1));
    }

    /**
     * A matrix of {@code rows} rows of {@code columns} elements (ggml shape {@code [columns, rows]}) for products:
     * repacked at load (or read back from the repack cache) when its type has an integer path.
     */
    public Matrix matrix(String name, int columns, int rows) {
        return storedMatrix(name, columns, rows).forProducts(repacked);
    }

    /** The same matrix as stored, for row lookups only (token embeddings that are not also the output). */
    public Matrix storedMatrix(String name, int columns, int rows) {
        TensorInfo t = require(name);
        checkShape(t, columns, rows);
        MatMulKernel kernel = Kernels.find(t.type()).orElseThrow(() -> new UnsupportedOperationException(
                "tensor '" + name + "' has type " + t.type() + ", which jllm cannot compute with; supported types: "
                        + Kernels.supportedNames()));
        if (t.type().blockSize() == 0 || columns % t.type().blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': row length " + columns
                    + " is not a multiple of the " + t.type() + " block size " + t.type().blockSize());
        }
        return new Matrix(name, kernel, file.tensorData(t), columns, rows);
    }

    /** A 1-D F32 tensor of {@code length} values (a norm weight or a bias), read into an array. */
    public float[] vector(String name, int length) {
        TensorInfo t = require(name);
        checkShape(t, length);
        if (t.type() != GgmlType.F32) {
            throw new UnsupportedOperationException("tensor '" + name + "' has type " + t.type()
                    + "; 1-D tensors must be F32");
        }
        MemorySegment data = file.tensorData(t);
        float[] values = new float[length];
        MemorySegment.copy(data, FLOAT, 0, values, 0, length);
        return values;
    }

    private TensorInfo require(String name) {
        return file.findTensor(name).orElseThrow(() -> new IllegalArgumentException("missing tensor '" + name
                + "' (required by architecture " + file.architecture() + ")"));
    }

    private static void checkShape(TensorInfo t, int... expected) {
        long[] shape = t.shape();
        boolean matches = shape.length >= expected.length;
        for (int i = 0; i < shape.length && matches; i++) {
            matches = shape[i] == (i < expected.length ? expected[i] : 1);
        }
        if (!matches) {
            throw new IllegalArgumentException("tensor '" + t.name() + "': expected shape "
                    + Arrays.toString(expected) + ", found " + Arrays.toString(shape));
        }
    }

    private static int toInt(String name, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor '" + name + "': dimension " + value + " is out of range");
        }
        return (int) value;
    }
}
