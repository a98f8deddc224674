package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quantizers of the types that the {@code gguf} Python package can quantize produce its bytes exactly, on
 * random weights with outliers and corner cases (zero, constant and negative-extreme blocks, fp16-subnormal
 * scales, rounding ties; for F16 and BF16 also infinities, NaNs, overflow and subnormals).
 */
class QuantizerReferenceTest {

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"})
    void encodesLikeGgufPython(GgmlType type) {
        float[] input = CodecFixtures.floats(type + ".quant.f32");
        byte[] expected = CodecFixtures.bytes(type + ".quant.bin");

        byte[] actual = Codecs.quantize(type, input);

        assertThat(CodecFixtures.firstByteDifference(type, expected, actual)).as(type.name()).isNull();
    }
}
