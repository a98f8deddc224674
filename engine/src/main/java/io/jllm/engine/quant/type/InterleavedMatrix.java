package io.jllm.engine.quant.type;

import io.jllm.engine.quant.IntegerMatrix;

import java.lang.foreign.MemorySegment;

/** What the repacked matrices share: their {@link InterleavedLayout}, its shape and its size. */
abstract class InterleavedMatrix implements IntegerMatrix {
    final InterleavedLayout layout;
    final MemorySegment data;

    InterleavedMatrix(InterleavedLayout layout) {
        this.layout = layout;
        this.data = layout.data;
    }

    @Override
    public final int rows() {
        return layout.rows;
    }

    @Override
    public final int columns() {
        return layout.columns;
    }

    @Override
    public final long byteSize() {
        return data.byteSize();
    }
}
