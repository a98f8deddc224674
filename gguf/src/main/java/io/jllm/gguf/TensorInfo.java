package io.jllm.gguf;

import java.util.Arrays;

/**
 * One tensor's description from the GGUF header.
 *
 * @param name      the tensor name, for example {@code blk.0.attn_q.weight}
 * @param shape     dimensions in ggml order: {@code shape[0]} (ne0) is the contiguous row length
 * @param type      storage type
 * @param offset    start of the data relative to the file's data section
 * @param byteSize  bytes of data
 */
public record TensorInfo(String name, long[] shape, GgmlType type, long offset, long byteSize) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int dimensionCount() {
        return shape.length;
    }

    /** ne[i], with 1 for dimensions beyond the stored ones (as ggml does). */
    public long dim(int i) {
        return i < shape.length ? shape[i] : 1;
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Elements per row (ne0). */
    public long rowLength() {
        return dim(0);
    }

    /** Number of rows: the product of every dimension after the first. */
    public long rowCount() {
        return shape.length == 0 ? 1 : elementCount() / Math.max(1, shape[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.type == type
                && t.offset == offset && t.byteSize == byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset;
    }
}
