package io.jllm.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order, with typed access. Every typed getter names the key
 * and both the expected and the found type when the value does not fit, and names the key when it is
 * missing. Integers of any stored width are accepted where they fit the requested Java type.
 */
public final class GgufMetadata {
    private final Map<String, MetadataValue> values;

    public GgufMetadata(Map<String, MetadataValue> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** All entries in file order. */
    public Map<String, MetadataValue> asMap() {
        return values;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public Optional<MetadataValue> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public MetadataValue require(String key) {
        MetadataValue v = values.get(key);
        if (v == null) {
            throw new GgufFormatException("missing metadata key '" + key + "'", -1);
        }
        return v;
    }

    public String getString(String key) {
        return (String) expect(require(key), key, GgufValueType.STRING, "STRING");
    }

    public Optional<String> findString(String key) {
        return get(key).map(v -> (String) expect(v, key, GgufValueType.STRING, "STRING"));
    }

    public boolean getBoolean(String key) {
        return (Boolean) expect(require(key), key, GgufValueType.BOOL, "BOOL");
    }

    public Optional<Boolean> findBoolean(String key) {
        return get(key).map(v -> (Boolean) expect(v, key, GgufValueType.BOOL, "BOOL"));
    }

    public long getLong(String key) {
        return toLong(require(key), key);
    }

    public Optional<Long> findLong(String key) {
        return get(key).map(v -> toLong(v, key));
    }

    public int getInt(String key) {
        return toInt(require(key), key);
    }

    public Optional<Integer> findInt(String key) {
        return get(key).map(v -> toInt(v, key));
    }

    public int getInt(String key, int defaultValue) {
        return findInt(key).orElse(defaultValue);
    }

    public float getFloat(String key) {
        return toFloat(require(key), key);
    }

    public Optional<Float> findFloat(String key) {
        return get(key).map(v -> toFloat(v, key));
    }

    public float getFloat(String key, float defaultValue) {
        return findFloat(key).orElse(defaultValue);
    }

    /** An array of the given element type (any integer width where {@code elementType} is an integer type). */
    public GgufArray getArray(String key, GgufValueType elementType) {
        MetadataValue v = require(key);
        if (!(v.value() instanceof GgufArray a) || !sameKind(a.elementType(), elementType)) {
            throw mismatch(key, "ARRAY<" + elementType + ">", v);
        }
        return a;
    }

    public Optional<GgufArray> findArray(String key, GgufValueType elementType) {
        return contains(key) ? Optional.of(getArray(key, elementType)) : Optional.empty();
    }

    public String[] getStringArray(String key) {
        return getArray(key, GgufValueType.STRING).strings();
    }

    public float[] getFloatArray(String key) {
        return getArray(key, GgufValueType.FLOAT32).floats();
    }

    /** An integer array converted to {@code int}; fails naming the key if a value does not fit. */
    public int[] getIntArray(String key) {
        long[] longs = getArray(key, GgufValueType.INT32).longs();
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new GgufFormatException("metadata key '" + key + "': element " + i + " = "
                        + longs[i] + " does not fit a 32-bit integer", require(key).offset());
            }
            ints[i] = (int) longs[i];
        }
        return ints;
    }

    private static boolean sameKind(GgufValueType found, GgufValueType wanted) {
        return found == wanted || (found.isInteger() && wanted.isInteger());
    }

    private static Object expect(MetadataValue v, String key, GgufValueType type, String expected) {
        if (v.type() != type) {
            throw mismatch(key, expected, v);
        }
        return v.value();
    }

    private static long toLong(MetadataValue v, String key) {
        if (!v.type().isInteger()) {
            throw mismatch(key, "an integer type", v);
        }
        long value = (Long) v.value();
        if (v.type() == GgufValueType.UINT64 && value < 0) {
            throw new GgufFormatException("metadata key '" + key + "': UINT64 value "
                    + Long.toUnsignedString(value) + " is too large", v.offset());
        }
        return value;
    }

    private static int toInt(MetadataValue v, String key) {
        long value = toLong(v, key);
        if (value != (int) value) {
            throw new GgufFormatException("metadata key '" + key + "': value " + value
                    + " does not fit a 32-bit integer", v.offset());
        }
        return (int) value;
    }

    private static float toFloat(MetadataValue v, String key) {
        return switch (v.value()) {
            case Float f -> f;
            case Double d -> d.floatValue();
            default -> throw mismatch(key, "FLOAT32", v);
        };
    }

    private static GgufFormatException mismatch(String key, String expected, MetadataValue found) {
        return new GgufFormatException("metadata key '" + key + "': expected " + expected + ", found "
                + found.typeName(), found.offset());
    }

    @Override
    public String toString() {
        return "GgufMetadata" + values.keySet();
    }
}
