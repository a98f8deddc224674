package io.jllm.engine.quant.type;

import io.jllm.engine.quant.MatMulKernel;
import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * A kernel that computes by decoding its blocks to floats ({@link #decode}, vectorized) and multiplying those
 * through a {@link ChunkedProduct}. Each type writes the short {@code multiply} loop itself, calling its own
 * decoder: one loop shared by all types would share one JIT profile, and a model mixing types (Q4_K with Q6_K)
 * would then get several decoders inlined into one method, overflow the inlining budget and box its vectors
 * (measured: 75 MB allocated per product, 7 times slower).
 */
abstract class DecodingKernel implements MatMulKernel {

    private final GgmlType type;
    private final int blockSize;
    private final int blockBytes;

    DecodingKernel(GgmlType type, int blockSize, int blockBytes) {
        this.type = type;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    /** Weights per block, as this kernel's layout has it. */
    final int blockSize() {
        return blockSize;
    }

    /** Bytes per block, as this kernel's layout has it. */
    final int blockBytes() {
        return blockBytes;
    }

    /**
     * Decodes {@code count} weights (a whole number of blocks) stored from byte {@code offset} of {@code weights}
     * into {@code dst[at, at + count)}, bit for bit as the type's scalar formula.
     */
    abstract void decode(MemorySegment weights, long offset, int count, float[] dst, int at);

    @Override
    public final void dequantizeRow(MemorySegment weights, int rowLength, int row, float[] dst) {
        long rowBytes = Shapes.rowBytes(type, blockSize, blockBytes, weights, rowLength, row, row + 1);
        Shapes.checkDestination(dst, rowLength);
        decode(weights, row * rowBytes, rowLength, dst, 0);
    }
}
