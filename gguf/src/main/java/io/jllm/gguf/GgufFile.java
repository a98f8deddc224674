package io.jllm.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open GGUF file: the header parsed, the whole file mapped once read-only, and a {@link MemorySegment}
 * slice per tensor. No tensor data is copied onto the heap. Closing unmaps the file; segments handed out
 * before must not be used afterwards.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final GgufReader.Header header;
    private final Map<String, TensorInfo> tensorsByName;

    private GgufFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.header = GgufReader.parse(segment);
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors()) {
            byName.put(t.name(), t);
        }
        this.tensorsByName = byName;
    }

    /**
     * Maps and parses a GGUF file.
     *
     * @throws GgufFormatException if the file is malformed
     * @throws IOException if it cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new GgufFile(path, arena, segment);
        } catch (RuntimeException | IOException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses a GGUF image held in memory (tests, fuzzing, files received over the network). */
    public static GgufFile of(MemorySegment image) {
        return new GgufFile(null, null, image);
    }

    /** The file path, if this was opened from one. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    public int version() {
        return header.version();
    }

    public int alignment() {
        return header.alignment();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** Tensor infos in file order. */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    public Optional<TensorInfo> findTensor(String name) {
        return Optional.ofNullable(tensorsByName.get(name));
    }

    /** The tensor's info; fails naming the tensor when the file lacks it. */
    public TensorInfo tensor(String name) {
        TensorInfo t = tensorsByName.get(name);
        if (t == null) {
            throw new GgufFormatException("missing tensor '" + name + "'", -1);
        }
        return t;
    }

    /** Absolute offset of the data section in the file. */
    public long dataOffset() {
        return header.dataOffset();
    }

    /** The file size in bytes. */
    public long byteSize() {
        return segment.byteSize();
    }

    /** A read-only view of the tensor's bytes inside the mapping (no copy). */
    public MemorySegment tensorData(TensorInfo tensor) {
        return segment.asSlice(header.dataOffset() + tensor.offset(), tensor.byteSize()).asReadOnly();
    }

    public MemorySegment tensorData(String name) {
        return tensorData(tensor(name));
    }

    /** The architecture named by {@code general.architecture}. */
    public String architecture() {
        return metadata().getString("general.architecture");
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
