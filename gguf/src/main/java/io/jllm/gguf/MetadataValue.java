package io.jllm.gguf;

/**
 * One metadata value with its GGUF type. The Java value is a {@link Long} for every integer type (unsigned
 * 64-bit values keep their bit pattern), {@link Float}, {@link Double}, {@link Boolean}, {@link String} or
 * {@link GgufArray}. {@code offset} is where the value starts in the file (-1 for values not read from one).
 */
public record MetadataValue(GgufValueType type, Object value, long offset) {

    public MetadataValue {
        Class<?> expected = switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> Long.class;
            case FLOAT32 -> Float.class;
            case FLOAT64 -> Double.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
            case ARRAY -> GgufArray.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(type + " value must be a " + expected.getSimpleName() + ", got " + value);
        }
    }

    public static MetadataValue of(GgufValueType type, Object value) {
        return new MetadataValue(type, value, -1);
    }

    /** The element type for arrays, for messages: {@code ARRAY<STRING>}; else the type name. */
    public String typeName() {
        return value instanceof GgufArray a ? "ARRAY<" + a.elementType() + ">" : type.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataValue other && other.type == type && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + value.hashCode();
    }
}
