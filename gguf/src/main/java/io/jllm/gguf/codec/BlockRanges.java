package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/** The argument checks shared by every codec, so that bad ranges fail with a message naming the type. */
final class BlockRanges {
    private BlockRanges() {
    }

    /** Checks a coding request and returns its size in bytes. */
    static long check(GgmlType type, MemorySegment segment, long byteOffset, int arrayLength, int arrayOffset,
                      int count) {
        if (count < 0 || count % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + ": " + count + " elements is not a whole number of blocks of "
                    + type.blockSize());
        }
        if (arrayOffset < 0 || arrayOffset > arrayLength - count) {
            throw new IndexOutOfBoundsException(type + ": elements [" + arrayOffset + ", " + ((long) arrayOffset + count)
                    + ") lie outside the float array of length " + arrayLength);
        }
        long bytes = type.bytesFor(count);
        if (byteOffset < 0 || byteOffset > segment.byteSize() - bytes) {
            throw new IndexOutOfBoundsException(type + ": " + count + " elements take " + bytes + " bytes from offset "
                    + byteOffset + ", but the segment holds " + segment.byteSize() + " bytes");
        }
        return bytes;
    }
}
