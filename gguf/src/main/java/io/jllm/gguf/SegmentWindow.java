package io.jllm.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A heap copy of a stretch of a segment, refilled a chunk at a time. A vocabulary is hundreds of thousands
 * of short strings: reading their lengths and bytes from one array is much cheaper, above all before the JIT
 * has compiled anything, than a segment access and a copy per string.
 */
final class SegmentWindow {
    private static final int CHUNK = 1 << 16;

    private final MemorySegment segment;
    private byte[] bytes = new byte[CHUNK];
    private long start;
    private int length;

    SegmentWindow(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Makes the {@code n} bytes at {@code at} available in {@link #bytes()} and returns the index of the first;
     * the caller has checked that they lie inside the segment.
     */
    int load(long at, int n) {
        if (at < start || at + n > start + length) {
            if (bytes.length < n) {
                bytes = new byte[n];
            }
            start = at;
            length = (int) Math.min(bytes.length, segment.byteSize() - at);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, bytes, 0, length);
        }
        return (int) (at - start);
    }

    byte[] bytes() {
        return bytes;
    }

    /** The little-endian 64-bit value at index {@code i} of {@link #bytes()}. */
    long longAt(int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | (bytes[i + k] & 0xFF);
        }
        return v;
    }
}
