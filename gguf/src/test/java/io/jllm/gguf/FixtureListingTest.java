package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import io.jllm.gguf.testing.SharedTestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture file parses, and what the reader sees (version, alignment, data offset, every metadata key,
 * type and value, every tensor's name, type, shape, offset, size and data) equals the listing that the
 * reference {@code gguf} Python package produced ({@code src/test/python/write_listings.py}, committed under
 * {@code src/test/resources/listings/}).
 */
class FixtureListingTest {

    static List<Path> fixtures() {
        return SharedTestData.allGgufFiles();
    }

    /** The committed gguf-py listing of a fixture file. */
    static String listing(String fileName) throws IOException {
        try (InputStream in = FixtureListingTest.class.getResourceAsStream("/listings/" + fileName + ".json")) {
            assertThat(in).as("gguf-py listing for %s (run src/test/python/write_listings.py)", fileName).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readerSeesWhatGgufPySees(Path file) throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            String ours = CanonicalDump.toText(CanonicalDump.of(gguf, true));
            assertThat(ours).isEqualTo(listing(file.getFileName().toString()));
        }
    }

    @Test
    void everyFixtureHasAListing() throws IOException {
        assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(29);
        for (Path file : fixtures()) {
            assertThat(listing(file.getFileName().toString())).startsWith("{\n \"version\": ");
        }
    }
}
