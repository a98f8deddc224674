package io.jllm.engine.quant;

import java.lang.foreign.MemorySegment;

/**
 * How one stored matrix becomes a repacked copy for the integer path ({@link MatMulKernel#repacker}). The copy's
 * size is known before any work, so the caller chooses where it lives (memory, or a cache file read back on a
 * later load); the filling splits into independent pieces (groups of rows), so the caller's workers can share it.
 * Like the kernels, a repacker never owns threads.
 */
public interface Repacker {

    /** Bytes of the repacked copy. */
    long byteSize();

    /** Pieces the filling splits into; each is filled independently of the others. */
    int pieces();

    /**
     * Fills pieces {@code [from, to)} of {@code copy} ({@link #byteSize()} bytes, zero before the first fill)
     * from the stored blocks.
     */
    void fill(MemorySegment copy, int from, int to);

    /** The integer matrix over a copy whose every piece is filled (just now, or by an earlier load). */
    IntegerMatrix wrap(MemorySegment copy);
}
