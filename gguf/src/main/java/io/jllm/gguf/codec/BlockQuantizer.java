package io.jllm.gguf.codec;

import java.lang.foreign.MemorySegment;

/** A quantizer written block by block: the range checks and the loop over blocks live here once. */
interface BlockQuantizer extends Quantizer {

    /** Encodes {@code src[at, at + blockSize)} into the block at {@code offset}. */
    void encodeBlock(float[] src, int at, MemorySegment dst, long offset);

    @Override
    default void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long byteOffset) {
        BlockRanges.check(type(), dst, byteOffset, src.length, srcOffset, count);
        int blockSize = type().blockSize();
        int blockBytes = type().blockBytes();
        for (int i = 0; i < count / blockSize; i++) {
            encodeBlock(src, srcOffset + i * blockSize, dst, byteOffset + (long) i * blockBytes);
        }
    }
}
