package io.jllm.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a GGUF version 3 file: metadata of every type (nested arrays included), tensor infos, and tensor data
 * placed at multiples of the alignment ({@code general.alignment}, default 32), each tensor padded with zeros
 * like llama.cpp does. Tensor data is not held: each tensor comes with a {@link MemorySegment} or a
 * {@link DataSource} that is asked for its bytes only while the file is written, so a file of many gigabytes
 * can be produced with a small heap. Everything is validated when it is added (duplicate keys and names,
 * values outside their type's range, shapes the type cannot store, data of the wrong size), so that the
 * writer never produces a file that {@link GgufReader} would refuse.
 */
public final class GgufWriter {
    /** The GGUF version this writer produces. */
    public static final int VERSION = 3;
    private static final int CHUNK = 1 << 20;

    private final Map<String, MetadataValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /** Supplies one tensor's bytes when the file is written. */
    @FunctionalInterface
    public interface DataSource {
        /**
         * Writes exactly the tensor's byte size into {@code channel}; writing more, or fewer, fails the write.
         */
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    private record PendingTensor(String name, GgmlType type, long[] shape, long byteSize, DataSource source) {
    }

    /**
     * Adds a metadata entry.
     *
     * @throws IllegalArgumentException if the key is already set, the value lies outside its type's range,
     *     a string is not valid Unicode, arrays nest too deeply, or {@code general.alignment} is not a
     *     UINT32 power of two
     */
    public GgufWriter put(String key, MetadataValue value) {
        checkText(key, "metadata key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("metadata key must not be empty");
        }
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("metadata key '" + key + "' is already set");
        }
        checkValue(key, value.type(), value.value(), 0);
        if (key.equals(GgufReader.ALIGNMENT_KEY)) {
            checkAlignment(value);
        }
        metadata.put(key, MetadataValue.of(value.type(), value.value()));
        return this;
    }

    public GgufWriter put(String key, GgufValueType type, Object value) {
        return put(key, MetadataValue.of(type, value));
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, (long) value);
    }

    public GgufWriter putUint64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValueType.ARRAY, value);
    }

    /** Sets {@code general.alignment}; the data section and every tensor start at a multiple of it. */
    public GgufWriter alignment(int alignment) {
        return putUint32(GgufReader.ALIGNMENT_KEY, alignment);
    }

    /** The alignment tensors will be written with. */
    public int alignment() {
        MetadataValue v = metadata.get(GgufReader.ALIGNMENT_KEY);
        return v == null ? GgufReader.DEFAULT_ALIGNMENT : (int) (long) (Long) v.value();
    }

    /**
     * Adds a tensor whose bytes are read from {@code data} when the file is written; the segment must stay
     * alive until then.
     *
     * @throws IllegalArgumentException if the name is taken or invalid, the shape cannot be stored in this
     *     type, or the segment's size differs from what the type and shape need
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        long byteSize = checkTensor(name, type, shape);
        if (data.byteSize() != byteSize) {
            throw new IllegalArgumentException("tensor '" + name + "': " + type + " " + Arrays.toString(shape)
                    + " takes " + byteSize + " bytes, but the data has " + data.byteSize());
        }
        return add(new PendingTensor(name, type, shape.clone(), byteSize, channel -> copy(data, channel)));
    }

    /**
     * Adds a tensor whose bytes {@code source} writes when the file is written.
     *
     * @throws IllegalArgumentException if the name is taken or invalid or the shape cannot be stored in this type
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, DataSource source) {
        long byteSize = checkTensor(name, type, shape);
        return add(new PendingTensor(name, type, shape.clone(), byteSize, source));
    }

    private GgufWriter add(PendingTensor t) {
        tensorNames.add(t.name);
        tensors.add(t);
        return this;
    }

    /** The tensor infos as they will be written, with offsets relative to the data section. */
    public List<TensorInfo> tensors() {
        List<TensorInfo> infos = new ArrayList<>(tensors.size());
        long offset = 0;
        for (PendingTensor t : tensors) {
            infos.add(new TensorInfo(t.name, t.shape, t.type, offset, t.byteSize));
            offset = GgufReader.alignUp(offset + t.byteSize, alignment());
        }
        return infos;
    }

    /** Absolute offset of the data section: the header's size, padded to the alignment. */
    public long dataOffset() {
        return header().size();
    }

    /** Writes the whole file, replacing {@code path}; a failed write leaves no file behind. */
    public void write(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            write(channel);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Writes the whole file to {@code channel}, asking each tensor's source for its bytes in turn. */
    public void write(WritableByteChannel channel) throws IOException {
        long position = writeHeader(channel);
        long dataOffset = position;
        int alignment = alignment();
        List<TensorInfo> infos = tensors();
        for (int i = 0; i < infos.size(); i++) {
            position += zeros(channel, dataOffset + infos.get(i).offset() - position);
            PendingTensor t = tensors.get(i);
            BoundedChannel bounded = new BoundedChannel(channel, t.name, t.byteSize);
            t.source.writeTo(bounded);
            bounded.checkComplete();
            position += t.byteSize;
        }
        zeros(channel, GgufReader.alignUp(position, alignment) - position);
    }

    /**
     * Writes only the header, padded up to the data section, and returns the data section's offset. For
     * callers that place the tensor data themselves at {@code dataOffset + tensors().get(i).offset()}, for
     * example a sparse file whose length is set instead of written.
     */
    public long writeHeader(WritableByteChannel channel) throws IOException {
        HeaderEncoder header = header();
        writeFully(channel, header.toBuffer());
        return header.size();
    }

    private HeaderEncoder header() {
        HeaderEncoder e = new HeaderEncoder();
        e.u32(GgufReader.MAGIC);
        e.u32(VERSION);
        e.u64(tensors.size());
        e.u64(metadata.size());
        for (Map.Entry<String, MetadataValue> kv : metadata.entrySet()) {
            e.string(kv.getKey());
            e.u32(kv.getValue().type().id());
            e.value(kv.getValue().type(), kv.getValue().value());
        }
        for (TensorInfo t : tensors()) {
            e.string(t.name());
            e.u32(t.dimensionCount());
            for (long d : t.shape()) {
                e.u64(d);
            }
            e.u32(t.type().id());
            e.u64(t.offset());
        }
        e.zeros((int) (GgufReader.alignUp(e.size(), alignment()) - e.size()));
        return e;
    }

    private long checkTensor(String name, GgmlType type, long[] shape) {
        checkText(name, "tensor name");
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > GgufReader.MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' must have 1 to " + GgufReader.MAX_TENSOR_NAME_BYTES
                    + " UTF-8 bytes, has " + nameBytes);
        }
        if (tensorNames.contains(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' is already added");
        }
        if (!type.isStorable()) {
            throw new IllegalArgumentException("tensor '" + name + "': type " + type + " was removed from ggml");
        }
        if (shape.length == 0 || shape.length > GgufReader.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' must have 1 to " + GgufReader.MAX_DIMS
                    + " dimensions, has " + shape.length);
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: "
                        + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': row length " + shape[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        return type.bytesFor(elements);
    }

    private static void checkValue(String key, GgufValueType type, Object value, int depth) {
        switch (type) {
            case UINT8 -> checkRange(key, type, (Long) value, 0, 0xFFL);
            case INT8 -> checkRange(key, type, (Long) value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> checkRange(key, type, (Long) value, 0, 0xFFFFL);
            case INT16 -> checkRange(key, type, (Long) value, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> checkRange(key, type, (Long) value, 0, 0xFFFF_FFFFL);
            case INT32 -> checkRange(key, type, (Long) value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case STRING -> checkText((String) value, "value of '" + key + "'");
            case ARRAY -> checkArray(key, (GgufArray) value, depth);
            default -> {
            }
        }
    }

    private static void checkArray(String key, GgufArray array, int depth) {
        if (depth >= GgufReader.MAX_ARRAY_DEPTH) {
            throw new IllegalArgumentException("metadata '" + key + "': arrays nested deeper than "
                    + GgufReader.MAX_ARRAY_DEPTH);
        }
        switch (array.elements()) {
            case long[] longs -> {
                for (long v : longs) {
                    checkValue(key, array.elementType(), v, depth);
                }
            }
            case String[] strings -> {
                for (String s : strings) {
                    if (s == null) {
                        throw new IllegalArgumentException("metadata '" + key + "': null string in array");
                    }
                    checkText(s, "element of '" + key + "'");
                }
            }
            case GgufArray[] arrays -> {
                for (GgufArray a : arrays) {
                    if (a == null) {
                        throw new IllegalArgumentException("metadata '" + key + "': null element in array");
                    }
                    checkArray(key, a, depth + 1);
                }
            }
            default -> {
            }
        }
    }

    private static void checkRange(String key, GgufValueType type, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("metadata '" + key + "': " + v + " is outside the " + type
                    + " range [" + min + ", " + max + "]");
        }
    }

    /** Refuses unpaired surrogates, which have no UTF-8 encoding (Java would silently write '?'). */
    private static void checkText(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i);
            }
        }
    }

    private static void checkAlignment(MetadataValue value) {
        if (value.type() != GgufValueType.UINT32) {
            throw new IllegalArgumentException("'" + GgufReader.ALIGNMENT_KEY + "' must be UINT32, not "
                    + value.typeName());
        }
        long a = (Long) value.value();
        if (a == 0 || Long.bitCount(a) != 1 || a > GgufReader.MAX_ALIGNMENT) {
            throw new IllegalArgumentException("'" + GgufReader.ALIGNMENT_KEY + "' must be a power of two up to "
                    + GgufReader.MAX_ALIGNMENT + ", not " + a);
        }
    }

    private static void copy(MemorySegment data, WritableByteChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(1, data.byteSize())));
        MemorySegment staging = MemorySegment.ofBuffer(buffer);
        for (long done = 0; done < data.byteSize(); ) {
            int n = (int) Math.min(buffer.capacity(), data.byteSize() - done);
            MemorySegment.copy(data, done, staging, 0, n);
            writeFully(channel, buffer.clear().limit(n));
            done += n;
        }
    }

    private static long zeros(WritableByteChannel channel, long n) throws IOException {
        ByteBuffer zero = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, n)));
        for (long left = n; left > 0; left -= zero.capacity()) {
            writeFully(channel, zero.clear().limit((int) Math.min(zero.capacity(), left)));
        }
        return n;
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Passes one tensor's bytes through, refusing more than its size and checking it got all of them. */
    private static final class BoundedChannel implements WritableByteChannel {
        private final WritableByteChannel out;
        private final String name;
        private final long size;
        private long written;

        BoundedChannel(WritableByteChannel out, String name, long size) {
            this.out = out;
            this.name = name;
            this.size = size;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > size - written) {
                throw new IllegalStateException("tensor '" + name + "': data source wrote more than the tensor's "
                        + size + " bytes");
            }
            int n = out.write(src);
            written += n;
            return n;
        }

        void checkComplete() {
            if (written != size) {
                throw new IllegalStateException("tensor '" + name + "': data source wrote " + written
                        + " bytes, the tensor has " + size);
            }
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
