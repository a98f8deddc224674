package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Repacker;
import io.jllm.engine.quant.type.Q8_0Activations;
import io.jllm.gguf.GgmlType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repacked matrices of one model load. They come from the model's cache file when that is valid for the
 * model and the layout; otherwise each is repacked into memory, its rows shared among the model's workers, and
 * after the last one ({@link #finish()}) all are written to the cache for the next load. A cache that cannot be
 * read or written is never an error: the weights are then repacked, as without a cache.
 */
final class RepackedWeights {
    private final RangeExecutor executor;
    private final Path directory;
    private final Path model;
    private final long dataOffset;
    private final Map<String, RepackFile.Matrix> made = new LinkedHashMap<>();
    private Path file;
    private RepackKey key;
    private Map<String, RepackFile.Matrix> cached;
    private boolean repacked;

    private RepackedWeights(RangeExecutor executor, Path directory, Path model, long dataOffset) {
        this.executor = executor;
        this.directory = directory;
        this.model = model;
        this.dataOffset = dataOffset;
    }

    /**
     * The repacked matrices of the model file {@code model} (tensor data from {@code dataOffset}), read from and
     * written to {@code cache}; its file is looked for when the first matrix is asked for (so models without
     * repacked types cost nothing). Repacking runs on {@code executor}'s workers.
     */
    static RepackedWeights of(RepackCache cache, Path model, long dataOffset, RangeExecutor executor) {
        return new RepackedWeights(executor, cache.directory().orElse(null), model, dataOffset);
    }

    /** The integer matrix {@code name}: the cache's copy if it holds one of this shape, else repacked now. */
    IntegerMatrix matrix(String name, GgmlType type, int columns, int rows, Repacker repacker) {
        RepackFile.Matrix stored = cached().get(name);
        MemorySegment copy;
        if (stored != null && stored.type() == type && stored.columns() == columns && stored.rows() == rows
                && stored.data().byteSize() == repacker.byteSize()) {
            copy = stored.data();
        } else {
            MemorySegment fresh = Arena.ofAuto().allocate(repacker.byteSize(), 64);
            executor.forRange(repacker.pieces(), 1, (worker, from, to) -> repacker.fill(fresh, from, to));
            copy = fresh;
            repacked = true;
        }
        made.put(name, new RepackFile.Matrix(name, type, columns, rows, copy));
        return repacker.wrap(copy);
    }

    /**
     * Called once every matrix is made: when any was repacked, writes them all as the model's cache file and
     * removes the files of models that no longer exist. Failing to write leaves the cache as it was.
     */
    void finish() {
        if (file == null || !repacked) {
            return;
        }
        try {
            Files.createDirectories(directory);
            RepackFile.write(file, key, new ArrayList<>(made.values()), executor);
            removeOrphans();
        } catch (IOException | RuntimeException e) {
            // An unwritable cache costs the next load a repack, nothing more.
        }
    }

    private Map<String, RepackFile.Matrix> cached() {
        if (cached == null) {
            cached = Map.of();
            if (directory != null) {
                try {
                    key = RepackKey.of(model, dataOffset);
                    file = directory.resolve(fileName(key));
                    cached = RepackFile.read(file, key, executor).orElse(Map.of());
                } catch (IOException | RuntimeException e) {
                    file = null;
                }
            }
        }
        return cached;
    }

    /**
     * One file per model path and vector width, so a changed model replaces its own file. The name hashes the
     * path (64-bit FNV-1a); two paths sharing a name would only replace each other's file.
     */
    private static String fileName(RepackKey key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.modelPath().getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(hash) + "-" + Q8_0Activations.GROUP + RepackFile.SUFFIX;
    }

    /** Deletes cache files whose model file is gone, so the cache holds at most a few files per model. */
    private void removeOrphans() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + RepackFile.SUFFIX)) {
            for (Path other : files) {
                boolean orphan = RepackFile.modelPath(other).filter(m -> !Files.exists(Path.of(m))).isPresent();
                if (orphan && !other.equals(file)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }
}
