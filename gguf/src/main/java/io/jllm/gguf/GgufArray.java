package io.jllm.gguf;

import java.util.Arrays;

/**
 * A metadata array. The elements live in one Java array whose kind follows the element type: {@code long[]}
 * for every integer type (unsigned 64-bit values keep their bit pattern), {@code float[]}, {@code double[]},
 * {@code boolean[]}, {@code String[]}, or {@code GgufArray[]} for nested arrays. Treat it as read-only.
 */
public record GgufArray(GgufValueType elementType, Object elements) {

    public GgufArray {
        Class<?> expected = javaArrayClass(elementType);
        if (elements == null || elements.getClass() != expected) {
            throw new IllegalArgumentException(elementType + " array must be held in a " + expected.getSimpleName());
        }
    }

    public int length() {
        return java.lang.reflect.Array.getLength(elements);
    }

    public long[] longs() {
        return cast(long[].class);
    }

    public float[] floats() {
        return cast(float[].class);
    }

    public double[] doubles() {
        return cast(double[].class);
    }

    public boolean[] booleans() {
        return cast(boolean[].class);
    }

    public String[] strings() {
        return cast(String[].class);
    }

    public GgufArray[] arrays() {
        return cast(GgufArray[].class);
    }

    private <T> T cast(Class<T> type) {
        if (!type.isInstance(elements)) {
            throw new IllegalStateException("array of " + elementType + " is not a " + type.getSimpleName());
        }
        return type.cast(elements);
    }

    static Class<?> javaArrayClass(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> GgufArray[].class;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray other && other.elementType == elementType
                && Arrays.deepEquals(new Object[] {elements}, new Object[] {other.elements});
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {elements});
    }

    @Override
    public String toString() {
        return elementType + "[" + length() + "]";
    }
}
