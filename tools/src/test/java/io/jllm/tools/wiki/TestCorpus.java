package io.jllm.tools.wiki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies the shipped test corpus (src/test/resources/wiki) into a scratch folder that tests may change. */
public final class TestCorpus {

    private TestCorpus() {
    }

    /** A copy of {@code wiki/NAME} (a file or a folder) under {@code scratch}. */
    public static Path copy(String name, Path scratch) {
        try {
            Path source = Path.of(TestCorpus.class.getResource("/wiki/" + name).toURI());
            Path target = scratch.resolve(name);
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Files.copy(p, target.resolve(source.relativize(p).toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
