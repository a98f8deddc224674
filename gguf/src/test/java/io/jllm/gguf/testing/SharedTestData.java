package io.jllm.gguf.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the project's shared test data ({@code ../shared/testdata} beside the checkout, or the folder named
 * by the system property / environment variable {@code JLLM_SHARED}). Every test that reads fixture models or
 * vocabularies goes through here, so a missing folder fails with one clear message instead of being skipped.
 */
public final class SharedTestData {
    private SharedTestData() {
    }

    /** The {@code shared/} folder. */
    public static Path shared() {
        String configured = System.getProperty("JLLM_SHARED", System.getenv("JLLM_SHARED"));
        if (configured != null) {
            return requireDir(Path.of(configured), "JLLM_SHARED=" + configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("testdata"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("jllm test data not found: expected a folder 'shared/testdata' beside the "
                + "repository checkout (searched the siblings of " + dir + " and its parents). Clone the project "
                + "next to its shared/ folder, or set JLLM_SHARED to the shared/ folder.");
    }

    private static Path requireDir(Path p, String origin) {
        if (!Files.isDirectory(p.resolve("testdata"))) {
            throw new IllegalStateException(origin + " has no testdata/ folder");
        }
        return p;
    }

    /** {@code shared/testdata/tiny}: tiny random-weight models with llama.cpp goldens. */
    public static Path tiny() {
        return shared().resolve("testdata/tiny");
    }

    /** {@code shared/testdata/vocab}: vocabulary-only GGUF files with tokenizer test cases. */
    public static Path vocab() {
        return shared().resolve("testdata/vocab");
    }

    public static Path tiny(String fileName) {
        return existing(tiny().resolve(fileName));
    }

    public static Path vocab(String fileName) {
        return existing(vocab().resolve(fileName));
    }

    /** Every {@code .gguf} file in the tiny and vocab folders, sorted by name. */
    public static List<Path> allGgufFiles() {
        return Stream.concat(ggufFiles(tiny()).stream(), ggufFiles(vocab()).stream()).toList();
    }

    public static List<Path> ggufFiles(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".gguf")).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no .gguf files in " + folder);
            }
            return files;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot list " + folder, e);
        }
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test data file " + p);
        }
        return p;
    }
}
