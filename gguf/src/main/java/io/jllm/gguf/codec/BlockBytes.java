package io.jllm.gguf.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian field access inside quantized blocks (GGUF data is little-endian, blocks are unaligned). */
final class BlockBytes {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockBytes() {
    }

    static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    static int i8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset);
    }

    static int u16(MemorySegment s, long offset) {
        return s.get(SHORT, offset) & 0xFFFF;
    }

    static int i32(MemorySegment s, long offset) {
        return s.get(INT, offset);
    }

    static float f16(MemorySegment s, long offset) {
        return Fp16.toFloat(s.get(SHORT, offset));
    }

    static void putU8(MemorySegment s, long offset, int value) {
        s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    static void putU16(MemorySegment s, long offset, int value) {
        s.set(SHORT, offset, (short) value);
    }

    static void putI32(MemorySegment s, long offset, int value) {
        s.set(INT, offset, value);
    }

    static void putF16(MemorySegment s, long offset, float value) {
        s.set(SHORT, offset, Fp16.fromFloat(value));
    }

    /** Writes {@code count} zero bytes: encoders that OR bits into fields start from a clean block. */
    static void clear(MemorySegment s, long offset, int count) {
        s.asSlice(offset, count).fill((byte) 0);
    }
}
