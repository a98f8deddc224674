package io.jllm.gguf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Encodes GGUF header fields (little-endian) into a growing byte array; the writer's serialisation half. */
final class HeaderEncoder {
    private byte[] bytes = new byte[4096];
    private int size;

    int size() {
        return size;
    }

    ByteBuffer toBuffer() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    void u8(long v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    void u16(long v) {
        u8(v);
        u8(v >>> 8);
    }

    void u32(long v) {
        u16(v);
        u16(v >>> 16);
    }

    void u64(long v) {
        u32(v);
        u32(v >>> 32);
    }

    void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        u64(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    void zeros(int n) {
        ensure(n);
        size += n;
    }

    /** Writes a value of the given type (without its type id). */
    void value(GgufValueType type, Object value) {
        switch (type) {
            case UINT8, INT8 -> u8((Long) value);
            case UINT16, INT16 -> u16((Long) value);
            case UINT32, INT32 -> u32((Long) value);
            case UINT64, INT64 -> u64((Long) value);
            case FLOAT32 -> u32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) value));
            case BOOL -> u8((Boolean) value ? 1 : 0);
            case STRING -> string((String) value);
            case ARRAY -> array((GgufArray) value);
        }
    }

    private void array(GgufArray a) {
        u32(a.elementType().id());
        u64(a.length());
        switch (a.elements()) {
            case long[] longs -> {
                for (long v : longs) {
                    value(a.elementType(), v);
                }
            }
            case float[] floats -> {
                for (float v : floats) {
                    u32(Float.floatToRawIntBits(v));
                }
            }
            case double[] doubles -> {
                for (double v : doubles) {
                    u64(Double.doubleToRawLongBits(v));
                }
            }
            case boolean[] booleans -> {
                for (boolean v : booleans) {
                    u8(v ? 1 : 0);
                }
            }
            case String[] strings -> {
                for (String v : strings) {
                    string(v);
                }
            }
            case GgufArray[] arrays -> {
                for (GgufArray v : arrays) {
                    array(v);
                }
            }
            default -> throw new IllegalStateException("unexpected array storage " + a.elements().getClass());
        }
    }

    private void ensure(int n) {
        if (n > bytes.length - size) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + n);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("GGUF header larger than 2 GB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
