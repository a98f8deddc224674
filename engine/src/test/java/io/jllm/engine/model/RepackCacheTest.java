package io.jllm.engine.model;

import io.jllm.engine.parallel.ExecutorKind;
import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.quant.Kernels;
import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repack cache against repacking at every load: the cache holds, byte for byte, what repacking the model's
 * tensors gives (so products from it are those of a fresh repack), a load served from it computes the logits of
 * a load without one, and a cache file that is damaged, cut short, foreign or stale is never used (it is
 * replaced). Works on copies of the tiny fixtures in temporary directories, never on the user's cache.
 */
class RepackCacheTest {
    private static final int[] TOKENS = {1, 15, 27, 3, 99, 42};
    /**
     * Logits of two loads of the same weights may differ in the last bit: the Vector API leaves the order of a
     * lane reduction open, and interpreted and compiled code take different orders.
     */
    private static final double SAME_LOGITS = 1e-5;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"llama-q4_0-pure.gguf", "llama-q8_0-pure.gguf", "llama-tied-q4_0-pure.gguf",
            "llama-q4_k-pure.gguf", "llama-q6_k-pure.gguf"})
    void aLoadFromTheCacheComputesExactlyWhatARepackComputes(String fixture) throws IOException {
        Path model = copy(fixture);
        Path cache = temp.resolve("cache");
        float[][] repacked = logits(model, RepackCache.off());

        float[][] first = logits(model, RepackCache.in(cache));
        Path file = onlyCacheFile(cache);
        Object written = fileKey(file);
        float[][] second = logits(model, RepackCache.in(cache));

        assertThat(fileKey(onlyCacheFile(cache))).as("the second load read the file, not rewrote it")
                .isEqualTo(written);
        assertCacheHoldsFreshRepacks(model, cache);
        assertSameLogits(first, repacked);
        assertSameLogits(second, repacked);
    }

    @Test
    void modelsWithoutRepackedTypesWriteNothing() throws IOException {
        Path cache = temp.resolve("cache");
        logits(copy("llama-q5_k-pure.gguf"), RepackCache.in(cache));
        assertThat(cache).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"flipped data byte", "flipped index byte", "cut short", "cut to its header", "empty",
            "foreign", "grown"})
    void aDamagedCacheFileIsNotUsedAndIsReplaced(String damage) throws IOException {
        Path model = copy("llama-q8_0-pure.gguf");
        Path cache = temp.resolve("cache");
        float[][] repacked = logits(model, RepackCache.off());
        logits(model, RepackCache.in(cache));
        Path file = onlyCacheFile(cache);
        byte[] good = Files.readAllBytes(file);

        damage(file, damage);
        float[][] afterDamage = logits(model, RepackCache.in(cache));

        assertThat(Files.readAllBytes(onlyCacheFile(cache))).as("the file was rewritten").isEqualTo(good);
        assertSameLogits(afterDamage, repacked);
    }

    @Test
    void aFileMadeForAnotherLayoutOrModelIsNotRead() throws IOException {
        Path model = copy("llama-q8_0-pure.gguf");
        Path cache = temp.resolve("cache");
        logits(model, RepackCache.in(cache));
        Path file = onlyCacheFile(cache);
        RepackKey key = key(model);
        try (RangeExecutor executor = ExecutorKind.SERIAL.create(1)) {
            List<RepackFile.Matrix> matrices = List.copyOf(RepackFile.read(file, key, executor).orElseThrow().values());
            RepackKey otherLayout = new RepackKey(key.modelPath(), key.modelSize(), key.modelModified(),
                    key.modelDigest(), key.layoutDigest() + "0");
            RepackKey otherModel = new RepackKey(key.modelPath() + "x", key.modelSize(), key.modelModified(),
                    key.modelDigest(), key.layoutDigest());
            for (RepackKey other : List.of(otherLayout, otherModel)) {
                RepackFile.write(file, other, matrices, executor);
                assertThat(RepackFile.read(file, other, executor)).as("read back for its own key").isPresent();
                assertThat(RepackFile.read(file, key, executor)).as("refused for this key").isEmpty();
            }
        }
    }

    @Test
    void anUnwritableCacheDirectoryStillLoads() throws IOException {
        Path model = copy("llama-q4_0-pure.gguf");
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "not a directory");
        float[][] repacked = logits(model, RepackCache.off());

        assertSameLogits(logits(model, RepackCache.in(notADirectory.resolve("cache"))), repacked);
        assertSameLogits(logits(model, RepackCache.in(notADirectory)), repacked);
    }

    @Test
    void theKeyChangesWhenTheModelFileChanges() throws IOException {
        Path model = copy("llama-q4_0-pure.gguf");
        RepackKey original = key(model);
        assertThat(key(model)).isEqualTo(original);

        FileTime time = Files.getLastModifiedTime(model);
        Files.setLastModifiedTime(model, FileTime.fromMillis(time.toMillis() + 1000));
        assertThat(key(model)).as("touched").isNotEqualTo(original);

        Files.setLastModifiedTime(model, time);
        assertThat(key(model)).as("time restored").isEqualTo(original);
        long dataOffset = dataOffset(model);
        rewrite(model, f -> flip(f, dataOffset - 1));
        Files.setLastModifiedTime(model, time);
        assertThat(key(model)).as("last header byte changed, time kept").isNotEqualTo(original);
        rewrite(model, f -> flip(f, dataOffset - 1));
        rewrite(model, f -> flip(f, dataOffset));
        Files.setLastModifiedTime(model, time);
        assertThat(key(model)).as("first data byte changed, time kept").isNotEqualTo(original);
    }

    @Test
    void aChangedModelReplacesItsCacheFileAndFilesOfDeletedModelsAreRemoved() throws IOException {
        Path model = copy("llama-q8_0-pure.gguf");
        Path other = copy("llama-q4_0-pure.gguf");
        Path cache = temp.resolve("cache");
        logits(other, RepackCache.in(cache));
        logits(model, RepackCache.in(cache));
        assertThat(cacheFiles(cache)).hasSize(2);

        long quant = weightOffset(model, "blk.0.attn_q.weight") + 10;
        rewrite(model, f -> flip(f, quant));
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() + 1000));
        Files.delete(other);
        logits(model, RepackCache.in(cache));

        assertThat(cacheFiles(cache)).as("the model's file replaced, the deleted model's removed").hasSize(1);
        assertCacheHoldsFreshRepacks(model, cache);
    }

    private Path copy(String fixture) throws IOException {
        Path copy = temp.resolve(fixture);
        if (!Files.exists(copy)) {
            Files.copy(SharedTestData.tiny(fixture), copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return copy;
    }

    private static float[][] logits(Path model, RepackCache cache) throws IOException {
        ModelOptions options = new ModelOptions(2, ExecutorKind.PLATFORM, 4, cache);
        try (LanguageModel lm = Models.load(model, options)) {
            return lm.forward(TOKENS, lm.newCache(TOKENS.length), true);
        }
    }

    /** The cache file's every matrix is, byte for byte, the model's tensor repacked now on this thread. */
    private static void assertCacheHoldsFreshRepacks(Path model, Path cache) throws IOException {
        Map<String, RepackFile.Matrix> cached;
        try (RangeExecutor executor = ExecutorKind.SERIAL.create(1)) {
            cached = RepackFile.read(onlyCacheFile(cache), key(model), executor).orElseThrow();
        }
        assertThat(cached).isNotEmpty();
        try (GgufFile file = GgufFile.open(model)) {
            for (RepackFile.Matrix m : cached.values()) {
                assertThat(file.tensor(m.name()).type()).isEqualTo(m.type());
                Repacker repacker = Kernels.forType(m.type())
                        .repacker(file.tensorData(m.name()), m.columns(), m.rows()).orElseThrow();
                MemorySegment fresh = Arena.ofAuto().allocate(repacker.byteSize());
                repacker.fill(fresh, 0, repacker.pieces());
                assertThat(fresh.mismatch(m.data())).as(m.name()).isEqualTo(-1L);
            }
        }
    }

    private static void assertSameLogits(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        double worst = 0;
        for (int p = 0; p < expected.length; p++) {
            assertThat(actual[p].length).isEqualTo(expected[p].length);
            for (int v = 0; v < expected[p].length; v++) {
                worst = Math.max(worst, Math.abs(actual[p][v] - expected[p][v]));
            }
        }
        assertThat(worst).as("largest logit difference").isLessThanOrEqualTo(SAME_LOGITS);
    }

    private static RepackKey key(Path model) throws IOException {
        return RepackKey.of(model, dataOffset(model));
    }

    private static long dataOffset(Path model) throws IOException {
        try (GgufFile file = GgufFile.open(model)) {
            return file.dataOffset();
        }
    }

    private static long weightOffset(Path model, String tensor) throws IOException {
        try (GgufFile file = GgufFile.open(model)) {
            return file.dataOffset() + file.tensor(tensor).offset();
        }
    }

    private static List<Path> cacheFiles(Path cache) throws IOException {
        try (var files = Files.list(cache)) {
            return files.toList();
        }
    }

    private static Path onlyCacheFile(Path cache) throws IOException {
        List<Path> files = cacheFiles(cache);
        assertThat(files).hasSize(1);
        assertThat(files.getFirst().getFileName().toString()).endsWith(RepackFile.SUFFIX);
        return files.getFirst();
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static void damage(Path file, String damage) throws IOException {
        long size = Files.size(file);
        switch (damage) {
            case "flipped data byte" -> rewrite(file, f -> flip(f, size - 5));
            case "flipped index byte" -> rewrite(file, f -> flip(f, 40));
            case "cut short" -> rewrite(file, f -> setLength(f, size - 1));
            case "cut to its header" -> rewrite(file, f -> setLength(f, 16));
            case "empty" -> rewrite(file, f -> setLength(f, 0));
            case "foreign" -> Files.copy(SharedTestData.tiny("llama-f32.gguf"), file,
                    StandardCopyOption.REPLACE_EXISTING);
            case "grown" -> rewrite(file, f -> setLength(f, size + 4096));
            default -> throw new IllegalArgumentException(damage);
        }
    }

    private interface Edit {
        void apply(RandomAccessFile file) throws IOException;
    }

    private static void rewrite(Path path, Edit edit) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            edit.apply(file);
        }
    }

    private static void flip(RandomAccessFile file, long at) throws IOException {
        file.seek(at);
        int b = file.read();
        file.seek(at);
        file.write(b ^ 0x40);
    }

    private static void setLength(RandomAccessFile file, long length) throws IOException {
        file.setLength(length);
    }
}
