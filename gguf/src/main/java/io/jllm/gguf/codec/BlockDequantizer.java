package io.jllm.gguf.codec;

import java.lang.foreign.MemorySegment;

/** A dequantizer written block by block: the range checks and the loop over blocks live here once. */
interface BlockDequantizer extends Dequantizer {

    /** Decodes the block at {@code offset} into {@code dst[at, at + blockSize)}. */
    void decodeBlock(MemorySegment src, long offset, float[] dst, int at);

    @Override
    default void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        BlockRanges.check(type(), src, byteOffset, dst.length, dstOffset, count);
        int blockSize = type().blockSize();
        int blockBytes = type().blockBytes();
        for (int i = 0; i < count / blockSize; i++) {
            decodeBlock(src, byteOffset + (long) i * blockBytes, dst, dstOffset + i * blockSize);
        }
    }
}
