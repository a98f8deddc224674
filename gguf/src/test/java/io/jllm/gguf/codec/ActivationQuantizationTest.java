package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * llama.cpp's activation quantization. Q8_0 against the {@code gguf} Python package's Q8_0 encoder (its fixture
 * bytes): the same fp16 scales everywhere, and the same quants wherever the two roundings cannot disagree (halves
 * go to even here, away from zero there; {@code 127 / max} and {@code 1 / d} differ in the last bit). Q8_K against
 * llama.cpp's own {@code quantize_row_q8_K} output, bit for bit.
 */
class ActivationQuantizationTest {

    @Test
    void q8_0MatchesGgufPythonExceptAtRoundingTies() {
        float[] input = CodecFixtures.floats("Q8_0.quant.f32");
        MemorySegment expected = MemorySegment.ofArray(CodecFixtures.bytes("Q8_0.quant.bin"));
        int count = input.length / 32 * 32;
        byte[] quants = new byte[count];
        float[] scales = new float[count / 32];

        ActivationQuantization.q8_0(input, 0, count, quants, scales);

        int compared = 0;
        for (int block = 0; block < count / 32; block++) {
            long at = (long) block * GgmlType.Q8_0.blockBytes();
            float d = BlockBytes.f16(expected, at);
            assertThat(scales[block]).as("scale of block %d", block).isEqualTo(d);
            for (int j = 0; j < 32; j++) {
                float x = input[block * 32 + j];
                double scaled = Math.abs(x) * 127.0 / Math.max(Float.MIN_VALUE, maxAbs(input, block * 32));
                if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-3) {
                    continue;
                }
                compared++;
                assertThat((int) quants[block * 32 + j]).as("quant %d of block %d (x = %s)", j, block, x)
                        .isEqualTo(BlockBytes.i8(expected, at + 2 + j));
            }
        }
        assertThat(compared).as("values compared").isGreaterThan(count * 9 / 10);
    }

    @Test
    void q8_0RoundsHalvesToEven() {
        float[] x = new float[32];
        x[0] = 127f;
        x[1] = 2.5f;
        x[2] = -3.5f;
        byte[] quants = new byte[32];
        float[] scales = new float[1];

        ActivationQuantization.q8_0(x, 0, 32, quants, scales);

        assertThat(scales[0]).isEqualTo(1f);
        assertThat(quants[0]).isEqualTo((byte) 127);
        assertThat(quants[1]).isEqualTo((byte) 2);
        assertThat(quants[2]).isEqualTo((byte) -4);
    }

    @Test
    void q8_1HasQ8_0sQuantsAndScales() {
        float[] input = CodecFixtures.floats("Q8_0.quant.f32");
        int count = input.length / 32 * 32;
        byte[] quants0 = new byte[count];
        float[] scales0 = new float[count / 32];
        byte[] quants1 = new byte[count];
        float[] scales1 = new float[count / 32];
        float[] sums = new float[count / 32];

        ActivationQuantization.q8_0(input, 0, count, quants0, scales0);
        ActivationQuantization.q8_1(input, 0, count, quants1, scales1, sums);

        assertThat(quants1).isEqualTo(quants0);
        assertThat(scales1).isEqualTo(scales0);
    }

    /**
     * llama.cpp's x86 {@code quantize_row_q8_1} multiplies the quant sum by the float {@code d}, not by the
     * fp16-rounded one it stores. Expected values from numpy: {@code np.float16(np.float32(1) / np.float32(127)
     * * np.float32(200))} is 1.5751953125, while the stored-scale product {@code np.float16(np.float32(
     * np.float16(d)) * 200)} would be 1.57421875.
     */
    @Test
    void q8_1SumUsesTheUnroundedScale() {
        float[] x = new float[32];
        x[0] = 1f;
        x[1] = 0.5f;
        x[2] = 0.0708f;
        byte[] quants = new byte[32];
        float[] scales = new float[1];
        float[] sums = new float[1];

        ActivationQuantization.q8_1(x, 0, 32, quants, scales, sums);

        assertThat(quants[0] + quants[1] + quants[2]).as("quant sum, 0.5 * 127 rounded to even").isEqualTo(200);
        assertThat(scales[0]).isEqualTo(0.00787353515625f);
        assertThat(sums[0]).isEqualTo(1.5751953125f);
    }

    @Test
    void partialBlocksAreRefused() {
        assertThatThrownBy(() -> ActivationQuantization.q8_0(new float[40], 0, 40, new byte[40], new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40");
    }

    @Test
    void q8_KIsLlamaCppsBitForBit() {
        float[] input = CodecFixtures.floats("Q8_K.activation.f32");
        MemorySegment expected = MemorySegment.ofArray(CodecFixtures.bytes("Q8_K.activation.bin"));
        int blocks = input.length / 256;
        byte[] quants = new byte[input.length];
        float[] scales = new float[blocks];
        short[] sums = new short[blocks * 16];

        ActivationQuantization.q8_K(input, 0, input.length, quants, scales, sums);

        for (int block = 0; block < blocks; block++) {
            long at = block * 292L;
            assertThat(scales[block]).as("scale of block %d", block).isEqualTo(Float.intBitsToFloat(BlockBytes.i32(expected, at)));
            for (int j = 0; j < 256; j++) {
                assertThat(quants[block * 256 + j]).as("quant %d of block %d", j, block)
                        .isEqualTo((byte) BlockBytes.i8(expected, at + 4 + j));
            }
            for (int g = 0; g < 16; g++) {
                assertThat(sums[block * 16 + g]).as("sum %d of block %d", g, block)
                        .isEqualTo((short) BlockBytes.u16(expected, at + 260 + 2 * g));
            }
        }
    }

    @Test
    void q8_KRefusesPartialBlocks() {
        assertThatThrownBy(() -> ActivationQuantization.q8_K(new float[300], 0, 300, new byte[300], new float[2],
                new short[32])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300");
    }

    private static float maxAbs(float[] x, int at) {
        float max = 0;
        for (int j = 0; j < 32; j++) {
            max = Math.max(max, Math.abs(x[at + j]));
        }
        return max;
    }
}
