package io.jllm.engine.model;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the weights repacked for integer products at load are kept, so that later loads of the same model map
 * them instead of repacking (seconds for a 1B model). One file per model file and vector width, replaced when
 * the model file changes; see {@link #fromEnvironment()} for the default location.
 */
public final class RepackCache {
    /** The system property naming the directory, or {@code off}; it takes precedence over {@link #ENV}. */
    public static final String PROPERTY = "jllm.repack.cache";
    /** The environment variable naming the directory, or {@code off}. */
    public static final String ENV = "JLLM_REPACK_CACHE";

    private final Path directory;

    private RepackCache(Path directory) {
        this.directory = directory;
    }

    /** Cache files in {@code directory} (created on the first write). */
    public static RepackCache in(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("the repack cache directory must be given");
        }
        return new RepackCache(directory);
    }

    /** No cache: every load repacks. */
    public static RepackCache off() {
        return new RepackCache(null);
    }

    /**
     * The directory named by the system property {@value #PROPERTY}, else the environment variable {@value #ENV},
     * else {@code ~/.cache/jllm/repacked}; the value {@code off} turns caching off.
     */
    public static RepackCache fromEnvironment() {
        String named = System.getProperty(PROPERTY, System.getenv(ENV));
        if (named == null || named.isBlank()) {
            return in(Path.of(System.getProperty("user.home"), ".cache", "jllm", "repacked"));
        }
        return named.strip().equals("off") ? off() : in(Path.of(named.strip()));
    }

    /** The directory, unless caching is off. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    @Override
    public String toString() {
        return directory == null ? "off" : directory.toString();
    }
}
