package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.TensorInfo;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every tensor of the tiny llama fixture models (one file per type, written by llama.cpp's llama-quantize)
 * decodes to exactly the floats the {@code gguf} Python package decodes: the SHA-256 of the float32 values
 * was recorded by {@code make_codec_fixtures.py} in {@code codec/real-tensors.txt}.
 */
class RealTensorDequantizationTest {

    record Expected(String file, String tensor, GgmlType type, long elements, String sha256) {
    }

    static Map<String, List<Expected>> byFile() {
        String text = new String(CodecFixtures.bytes("real-tensors.txt"), StandardCharsets.UTF_8);
        return text.lines().map(line -> line.split(" "))
                .map(f -> new Expected(f[0], f[1], GgmlType.valueOf(f[2]), Long.parseLong(f[3]), f[4]))
                .collect(Collectors.groupingBy(Expected::file, java.util.TreeMap::new, Collectors.toList()));
    }

    static List<String> files() {
        return List.copyOf(byFile().keySet());
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyTensorDecodesLikeGgufPython(String fileName) throws IOException {
        List<Expected> expected = byFile().get(fileName);
        try (GgufFile file = GgufFile.open(SharedTestData.tiny(fileName))) {
            assertThat(file.tensors()).hasSameSizeAs(expected);
            for (Expected e : expected) {
                TensorInfo info = file.tensor(e.tensor());
                assertThat(info.type()).as(e.tensor()).isEqualTo(e.type());
                float[] values = Codecs.dequantize(info.type(), file.tensorData(info), info.elementCount());
                assertThat(values).as(e.tensor()).hasSize((int) e.elements());
                assertThat(sha256(values)).as(fileName + " " + e.tensor() + " (" + e.type() + ")")
                        .isEqualTo(e.sha256());
            }
        }
    }

    private static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
