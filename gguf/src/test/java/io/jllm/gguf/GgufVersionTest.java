package io.jllm.gguf;

import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GGUF versions 2 and 3 share one layout (version 3 only allowed big-endian files); 1 is refused. */
class GgufVersionTest {

    private static byte[] fixtureWithVersion(int version) throws IOException {
        byte[] bytes = Files.readAllBytes(SharedTestData.tiny("llama-q4_0-pure.gguf"));
        bytes[4] = (byte) version;
        return bytes;
    }

    @Test
    void aVersion2FileReadsExactlyLikeItsVersion3Twin() throws IOException {
        GgufFile v3 = GgufFile.of(MemorySegment.ofArray(fixtureWithVersion(3)));
        GgufFile v2 = GgufFile.of(MemorySegment.ofArray(fixtureWithVersion(2)));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.metadata().asMap()).isEqualTo(v3.metadata().asMap());
        assertThat(v2.tensors()).isEqualTo(v3.tensors());
        assertThat(v2.dataOffset()).isEqualTo(v3.dataOffset());
    }

    @Test
    void version1AndUnknownVersionsAreRefusedNamingTheVersionFound() {
        assertThatThrownBy(() -> GgufFile.of(MemorySegment.ofArray(fixtureWithVersion(1))))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("version 1");
        assertThatThrownBy(() -> GgufFile.of(MemorySegment.ofArray(fixtureWithVersion(4))))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("version 4")
                .hasMessageContaining("supported versions: 2, 3");
    }
}
