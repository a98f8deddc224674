package io.jllm.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the GGUF header (versions 2 and 3, little-endian) from a segment holding a whole file. The file is
 * untrusted: every length and count is checked against the bytes that remain before anything is allocated,
 * so a malformed file ends in a {@link GgufFormatException} naming the problem and its byte offset, never in
 * an OutOfMemoryError or an endless loop. Tensor data is not read, only located and checked.
 */
public final class GgufReader {
    /** "GGUF" read as a little-endian uint32. */
    public static final int MAGIC = 0x46554747;
    public static final int DEFAULT_ALIGNMENT = 32;
    public static final String ALIGNMENT_KEY = "general.alignment";
    /** ggml tensors have at most this many dimensions. */
    public static final int MAX_DIMS = 4;
    /** Deeper nesting of arrays is refused: real files nest at most once, and recursion must stay bounded. */
    static final int MAX_ARRAY_DEPTH = 8;
    /** Largest accepted {@code general.alignment}: real files use 32 to a page; larger values only overflow. */
    static final long MAX_ALIGNMENT = 1L << 30;
    /** llama.cpp refuses tensor names of 64 UTF-8 bytes or more (its name buffer holds 64 with the terminator). */
    static final int MAX_TENSOR_NAME_BYTES = 63;
    /**
     * Bound on the heap that decoded metadata may take. Integer arrays widen to {@code long} (up to 8 times
     * their file size), so without it a hostile header in a large file could exhaust the heap; the largest
     * real vocabularies decode to a few tens of megabytes.
     */
    static final long MAX_DECODED_METADATA_BYTES = 512L << 20;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment file;
    private final long size;
    private final SegmentWindow window;
    private long pos;
    private long decodedBytes;

    private GgufReader(MemorySegment file) {
        this.file = file;
        this.size = file.byteSize();
        this.window = new SegmentWindow(file);
    }

    /** The parsed header of a GGUF file. {@code dataOffset} is the absolute offset of the data section. */
    public record Header(int version, int alignment, GgufMetadata metadata, List<TensorInfo> tensors, long dataOffset) {
    }

    /** Parses the header of the whole-file segment and checks every tensor's placement in it. */
    public static Header parse(MemorySegment file) {
        return new GgufReader(file).header();
    }

    private Header header() {
        long magic = u32("magic");
        if (magic != MAGIC) {
            throw new GgufFormatException("not a GGUF file: bad magic 0x" + Long.toHexString(magic)
                    + " (expected the bytes 'GGUF')", 0);
        }
        long versionOffset = pos;
        long version = u32("version");
        if (version == 1) {
            throw new GgufFormatException("GGUF version 1 is an early draft of the format that is no longer"
                    + " supported; re-convert the model with a current llama.cpp (supported versions: 2, 3)",
                    versionOffset);
        }
        if (version != 2 && version != 3) {
            String hint = Long.reverseBytes(version) >>> 32 <= 3 && version != 1
                    ? " (the file looks big-endian; only little-endian GGUF is supported)" : "";
            throw new GgufFormatException("unsupported GGUF version " + Long.toUnsignedString(version)
                    + hint + "; supported versions: 2, 3", versionOffset);
        }
        long tensorCountOffset = pos;
        long tensorCount = u64("tensor count");
        long kvCountOffset = pos;
        long kvCount = u64("metadata count");
        // Each tensor info takes at least 24 bytes and each key/value at least 13: counts beyond what the
        // file could hold are refused before any allocation.
        checkCount(tensorCount, 24, "tensor count", tensorCountOffset);
        checkCount(kvCount, 13, "metadata count", kvCountOffset);

        Map<String, MetadataValue> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyOffset = pos;
            String key = string("metadata key #" + i);
            long typeOffset = pos;
            GgufValueType type = valueType(u32("type of '" + key + "'"), "metadata '" + key + "'", typeOffset);
            long valueOffset = pos;
            Object value = value(type, key, 0);
            if (kv.putIfAbsent(key, new MetadataValue(type, value, valueOffset)) != null) {
                throw new GgufFormatException("duplicate metadata key '" + key + "'", keyOffset);
            }
        }
        GgufMetadata metadata = new GgufMetadata(kv);
        int alignment = alignment(metadata);

        List<TensorInfo> tensors = new ArrayList<>((int) tensorCount);
        List<Long> infoOffsets = new ArrayList<>((int) tensorCount);
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            long infoOffset = pos;
            TensorInfo t = tensorInfo(i);
            if (!names.add(t.name())) {
                throw new GgufFormatException("duplicate tensor name '" + t.name() + "'", infoOffset);
            }
            if (t.offset() % alignment != 0) {
                throw new GgufFormatException("tensor '" + t.name() + "' data offset " + t.offset()
                        + " is not a multiple of the alignment " + alignment, infoOffset);
            }
            tensors.add(t);
            infoOffsets.add(infoOffset);
        }
        long dataOffset = alignUp(pos, alignment);
        if (!tensors.isEmpty() && dataOffset > size) {
            throw new GgufFormatException("file ends before its data section (data would start at "
                    + dataOffset + ", file has " + size + " bytes)", size);
        }
        checkPlacement(tensors, infoOffsets, dataOffset);
        return new Header((int) version, alignment, metadata, List.copyOf(tensors), dataOffset);
    }

    private int alignment(GgufMetadata metadata) {
        MetadataValue v = metadata.asMap().get(ALIGNMENT_KEY);
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (v.type() != GgufValueType.UINT32) {
            throw new GgufFormatException("metadata key '" + ALIGNMENT_KEY + "': expected UINT32, found "
                    + v.typeName(), v.offset());
        }
        long a = (Long) v.value();
        if (a == 0 || Long.bitCount(a) != 1 || a > MAX_ALIGNMENT) {
            throw new GgufFormatException("'" + ALIGNMENT_KEY + "' must be a power of two up to " + MAX_ALIGNMENT
                    + ", found " + a, v.offset());
        }
        return (int) a;
    }

    private TensorInfo tensorInfo(long index) {
        long nameOffset = pos;
        String name = string("name of tensor #" + index);
        if (pos - nameOffset - 8 > MAX_TENSOR_NAME_BYTES) {
            throw new GgufFormatException("name of tensor #" + index + " is " + (pos - nameOffset - 8)
                    + " bytes long; at most " + MAX_TENSOR_NAME_BYTES + " are allowed", nameOffset);
        }
        long dimsOffset = pos;
        long nDims = u32("dimension count of '" + name + "'");
        if (nDims > MAX_DIMS) {
            throw new GgufFormatException("tensor '" + name + "' has " + nDims + " dimensions; at most "
                    + MAX_DIMS + " are allowed", dimsOffset);
        }
        long[] shape = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            long dimOffset = pos;
            shape[d] = u64("dimension " + d + " of '" + name + "'");
            if (shape[d] < 0) {
                throw new GgufFormatException("tensor '" + name + "' dimension " + d + " = "
                        + Long.toUnsignedString(shape[d]) + " is too large", dimOffset);
            }
            try {
                elements = Math.multiplyExact(elements, shape[d]);
            } catch (ArithmeticException e) {
                throw new GgufFormatException("tensor '" + name + "' element count overflows (shape "
                        + java.util.Arrays.toString(shape) + ")", dimOffset);
            }
        }
        long typeOffset = pos;
        long typeId = u32("type of '" + name + "'");
        GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> new GgufFormatException("tensor '" + name
                + "' has unknown ggml type id " + typeId + "; known types: " + GgmlType.storableNames(), typeOffset));
        if (!type.isStorable()) {
            throw new GgufFormatException("tensor '" + name + "' uses type " + type + " (id " + typeId
                    + "), which ggml has removed; re-convert the model with a current llama.cpp", typeOffset);
        }
        long rowLength = nDims == 0 ? 1 : shape[0];
        if (rowLength % type.blockSize() != 0) {
            throw new GgufFormatException("tensor '" + name + "' row length " + rowLength
                    + " is not a multiple of the " + type + " block size " + type.blockSize(), dimsOffset);
        }
        long bytes;
        try {
            bytes = type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw new GgufFormatException("tensor '" + name + "' byte size overflows", dimsOffset);
        }
        long offset = u64("data offset of '" + name + "'");
        if (offset < 0) {
            throw new GgufFormatException("tensor '" + name + "' data offset " + Long.toUnsignedString(offset)
                    + " is outside the file", pos - 8);
        }
        return new TensorInfo(name, shape, type, offset, bytes);
    }

    private void checkPlacement(List<TensorInfo> tensors, List<Long> infoOffsets, long dataOffset) {
        long dataSize = size - dataOffset;
        Integer[] order = new Integer[tensors.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            TensorInfo t = tensors.get(i);
            if (t.offset() > dataSize || t.byteSize() > dataSize - t.offset()) {
                throw new GgufFormatException("tensor '" + t.name() + "' data [" + t.offset() + ", "
                        + (t.offset() + t.byteSize()) + ") runs past the end of the data section ("
                        + Math.max(0, dataSize) + " bytes; file truncated?)", infoOffsets.get(i));
            }
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> tensors.get(i).offset()));
        for (int k = 1; k < order.length; k++) {
            TensorInfo prev = tensors.get(order[k - 1]);
            TensorInfo t = tensors.get(order[k]);
            if (prev.byteSize() > 0 && t.offset() < prev.offset() + prev.byteSize()) {
                throw new GgufFormatException("tensor '" + t.name() + "' data overlaps tensor '" + prev.name()
                        + "'", infoOffsets.get(order[k]));
            }
        }
    }

    private Object value(GgufValueType type, String key, int depth) {
        return switch (type) {
            case UINT8 -> (long) (byte1(key) & 0xFF);
            case INT8 -> (long) byte1(key);
            case UINT16 -> (long) (short2(key) & 0xFFFF);
            case INT16 -> (long) short2(key);
            case UINT32 -> u32(key);
            case INT32 -> (long) (int) u32(key);
            case UINT64, INT64 -> u64(key);
            case FLOAT32 -> f32(key);
            case FLOAT64 -> f64(key);
            case BOOL -> bool(key);
            case STRING -> string("value of '" + key + "'");
            case ARRAY -> array(key, depth);
        };
    }

    private GgufArray array(String key, int depth) {
        long headerOffset = pos;
        if (depth >= MAX_ARRAY_DEPTH) {
            throw new GgufFormatException("metadata '" + key + "': arrays nested deeper than " + MAX_ARRAY_DEPTH,
                    headerOffset);
        }
        GgufValueType elementType = valueType(u32("array type of '" + key + "'"), "array '" + key + "'", headerOffset);
        long countOffset = pos;
        long count = u64("array length of '" + key + "'");
        checkCount(count, elementType.minBytes(), "length of array '" + key + "'", countOffset);
        charge(count * javaBytesPerElement(elementType), "array '" + key + "'", countOffset);
        int n = (int) count;
        Object elements = switch (elementType) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> integers(elementType, n);
            case FLOAT32 -> {
                float[] a = new float[n];
                MemorySegment.copy(file, FLOAT, pos, a, 0, n);
                pos += 4L * n;
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                MemorySegment.copy(file, DOUBLE, pos, a, 0, n);
                pos += 8L * n;
                yield a;
            }
            case BOOL -> booleans(key, n);
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = string(key, i);
                }
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = array(key, depth + 1);
                }
                yield a;
            }
        };
        return new GgufArray(elementType, elements);
    }

    /**
     * Fixed-size elements are copied in bulk: {@link #checkCount} has already made sure that all of them lie
     * inside the file. Integers widen to {@code long}, sign- or zero-extended by their type.
     */
    private long[] integers(GgufValueType type, int n) {
        long[] a = new long[n];
        switch (type) {
            case UINT8, INT8 -> {
                byte[] raw = new byte[n];
                MemorySegment.copy(file, ValueLayout.JAVA_BYTE, pos, raw, 0, n);
                for (int i = 0; i < n; i++) {
                    a[i] = type == GgufValueType.UINT8 ? raw[i] & 0xFF : raw[i];
                }
            }
            case UINT16, INT16 -> {
                short[] raw = new short[n];
                MemorySegment.copy(file, SHORT, pos, raw, 0, n);
                for (int i = 0; i < n; i++) {
                    a[i] = type == GgufValueType.UINT16 ? raw[i] & 0xFFFF : raw[i];
                }
            }
            case UINT32, INT32 -> {
                int[] raw = new int[n];
                MemorySegment.copy(file, INT, pos, raw, 0, n);
                for (int i = 0; i < n; i++) {
                    a[i] = type == GgufValueType.UINT32 ? Integer.toUnsignedLong(raw[i]) : raw[i];
                }
            }
            default -> MemorySegment.copy(file, LONG, pos, a, 0, n);
        }
        pos += (long) type.minBytes() * n;
        return a;
    }

    private boolean[] booleans(String key, int n) {
        byte[] raw = new byte[n];
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, pos, raw, 0, n);
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (raw[i] != 0 && raw[i] != 1) {
                throw invalidBool(key, raw[i], pos + i);
            }
            a[i] = raw[i] == 1;
        }
        pos += n;
        return a;
    }

    /** Heap taken per element once decoded (strings and nested arrays are charged again for their contents). */
    private static int javaBytesPerElement(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64, FLOAT64 -> 8;
            case FLOAT32 -> 4;
            case BOOL -> 1;
            case STRING, ARRAY -> 48;
        };
    }

    private void charge(long bytes, String what, long offset) {
        decodedBytes += bytes;
        if (decodedBytes > MAX_DECODED_METADATA_BYTES) {
            throw new GgufFormatException(what + " takes the decoded metadata past "
                    + (MAX_DECODED_METADATA_BYTES >> 20) + " MiB; no real model has that much metadata", offset);
        }
    }

    private GgufValueType valueType(long id, String what, long offset) {
        return GgufValueType.byId(id).orElseThrow(() -> new GgufFormatException(what
                + " has unknown value type id " + Long.toUnsignedString(id) + " (known: 0..12)", offset));
    }

    private void checkCount(long count, int minBytesEach, String what, long offset) {
        long remaining = size - pos;
        if (count < 0 || count > Integer.MAX_VALUE - 8 || count * Math.max(1, minBytesEach) > remaining) {
            throw new GgufFormatException(what + " " + Long.toUnsignedString(count)
                    + " cannot fit in the " + remaining + " bytes left in the file", offset);
        }
    }

    private void need(long n, String what) {
        if (n > size - pos) {
            throw new GgufFormatException("file truncated: " + what + " needs " + n + " bytes but only "
                    + (size - pos) + " remain", pos);
        }
    }

    private byte byte1(String what) {
        need(1, what);
        return file.get(ValueLayout.JAVA_BYTE, pos++);
    }

    private short short2(String what) {
        need(2, what);
        short v = file.get(SHORT, pos);
        pos += 2;
        return v;
    }

    private long u32(String what) {
        need(4, what);
        long v = Integer.toUnsignedLong(file.get(INT, pos));
        pos += 4;
        return v;
    }

    private long u64(String what) {
        need(8, what);
        long v = file.get(LONG, pos);
        pos += 8;
        return v;
    }

    private float f32(String what) {
        need(4, what);
        float v = file.get(FLOAT, pos);
        pos += 4;
        return v;
    }

    private double f64(String what) {
        need(8, what);
        double v = file.get(DOUBLE, pos);
        pos += 8;
        return v;
    }

    private boolean bool(String what) {
        long at = pos;
        byte b = byte1(what);
        if (b != 0 && b != 1) {
            throw invalidBool(what, b, at);
        }
        return b == 1;
    }

    private static GgufFormatException invalidBool(String what, byte b, long offset) {
        return new GgufFormatException(what + ": invalid BOOL byte " + (b & 0xFF) + " (expected 0 or 1)", offset);
    }

    private String string(String what) {
        return string(what, -1);
    }

    /**
     * Reads a string. It is named in errors by {@code what}, or for an array element ({@code element >= 0}) by
     * its index and the array's key; the name is only built on error, since vocabularies are big.
     */
    private String string(String what, int element) {
        long lengthOffset = pos;
        if (8 > size - pos) {
            throw new GgufFormatException("file truncated: length of " + describe(what, element)
                    + " needs 8 bytes but only " + (size - pos) + " remain", pos);
        }
        long length = window.longAt(window.load(pos, 8));
        pos += 8;
        if (length < 0 || length > size - pos) {
            throw new GgufFormatException("length " + Long.toUnsignedString(length) + " of "
                    + describe(what, element) + " runs past the end of the file (" + (size - pos)
                    + " bytes remain)", lengthOffset);
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new GgufFormatException("length " + length + " of " + describe(what, element) + " is too large",
                    lengthOffset);
        }
        decodedBytes += 2 * length;
        if (decodedBytes > MAX_DECODED_METADATA_BYTES) {
            charge(0, describe(what, element), lengthOffset);
        }
        int n = (int) length;
        int from = window.load(pos, n);
        byte[] bytes = window.bytes();
        if (!Utf8.isValid(bytes, from, from + n)) {
            throw new GgufFormatException(describe(what, element) + " is not valid UTF-8", pos);
        }
        pos += n;
        return new String(bytes, from, n, StandardCharsets.UTF_8);
    }

    private static String describe(String what, int element) {
        return element < 0 ? what : "element " + element + " of '" + what + "'";
    }

    static long alignUp(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
