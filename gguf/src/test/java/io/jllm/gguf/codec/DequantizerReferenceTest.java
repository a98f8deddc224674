package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reference dequantizer reproduces the {@code gguf} Python package's {@code quants.dequantize} bit for
 * bit on the fixture blocks (quantized random weights with outliers, or random bytes with finite scales).
 */
class DequantizerReferenceTest {

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K",
            "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"})
    void decodesLikeGgufPython(GgmlType type) {
        byte[] blocks = CodecFixtures.bytes(type + ".dequant.bin");
        float[] expected = CodecFixtures.floats(type + ".dequant.f32");

        float[] actual = Codecs.dequantize(type, MemorySegment.ofArray(blocks), expected.length);

        assertThat(CodecFixtures.firstBitDifference(expected, actual)).as(type.name()).isNull();
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q6_K", "IQ4_XS"})
    void decodesAtAnOffsetIntoTheMiddleOfAnArray(GgmlType type) {
        byte[] blocks = CodecFixtures.bytes(type + ".dequant.bin");
        float[] expected = CodecFixtures.floats(type + ".dequant.f32");
        int skipBlocks = 3;
        int elements = 2 * type.blockSize();
        float[] actual = new float[elements + 10];

        Codecs.dequantizer(type).orElseThrow().dequantize(MemorySegment.ofArray(blocks),
                (long) skipBlocks * type.blockBytes(), actual, 5, elements);

        float[] window = java.util.Arrays.copyOfRange(actual, 5, 5 + elements);
        float[] expectedWindow = java.util.Arrays.copyOfRange(expected, skipBlocks * type.blockSize(),
                skipBlocks * type.blockSize() + elements);
        assertThat(CodecFixtures.firstBitDifference(expectedWindow, window)).isNull();
        assertThat(actual).startsWith(0, 0, 0, 0, 0).endsWith(0, 0, 0, 0, 0);
    }
}
