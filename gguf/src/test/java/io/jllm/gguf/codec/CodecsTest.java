package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry hands out codecs of the right type and rejects bad requests with messages that name the type. */
class CodecsTest {

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void aRegisteredCodecDescribesItsOwnType(GgmlType type) {
        Codecs.dequantizer(type).ifPresent(d -> assertThat(d.type()).isEqualTo(type));
        Codecs.quantizer(type).ifPresent(q -> assertThat(q.type()).isEqualTo(type));
        if (Codecs.quantizer(type).isPresent()) {
            assertThat(Codecs.dequantizer(type)).as("a quantizable type must also decode").isPresent();
        }
    }

    @Test
    void anUnsupportedTypeIsNamedAlongWithTheSupportedOnes() {
        assertThatThrownBy(() -> Codecs.dequantize(GgmlType.IQ2_XXS, MemorySegment.ofArray(new byte[66]), 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IQ2_XXS")
                .hasMessageContaining("supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, "
                        + "Q6_K, IQ4_NL, IQ4_XS, BF16");
        assertThatThrownBy(() -> Codecs.quantize(GgmlType.IQ4_XS, new float[256]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quantizer for ggml type IQ4_XS")
                .hasMessageContaining("supported: F32, F16, Q4_0");
    }

    @Test
    void aCountThatIsNotAWholeNumberOfBlocksIsRejected() {
        assertThatThrownBy(() -> Codecs.dequantize(GgmlType.Q4_K, MemorySegment.ofArray(new byte[144]), 255))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q4_K").hasMessageContaining("255");
        assertThatThrownBy(() -> Codecs.quantize(GgmlType.Q8_0, new float[33]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q8_0").hasMessageContaining("33");
    }

    @Test
    void dataShorterThanTheCountIsRejectedBeforeReading() {
        assertThatThrownBy(() -> Codecs.dequantize(GgmlType.Q6_K, MemorySegment.ofArray(new byte[209]), 256))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("Q6_K").hasMessageContaining("210 bytes").hasMessageContaining("209");
    }

    @Test
    void aDestinationRangeOutsideTheArrayIsRejected() {
        Dequantizer q8 = Codecs.dequantizer(GgmlType.Q8_0).orElseThrow();
        assertThatThrownBy(() -> q8.dequantize(MemorySegment.ofArray(new byte[34]), 0, new float[40], 9, 32))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("Q8_0").hasMessageContaining("[9, 41)");
    }
}
