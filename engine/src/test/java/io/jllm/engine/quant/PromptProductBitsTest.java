package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.codec.Codecs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static io.jllm.engine.quant.ReferenceProduct.assertManyVectorsGiveTheBitsOfEachAlone;

/**
 * A prompt's products on a repacked matrix (four vectors per pass over quad slices unpacked once, pairs and a
 * single vector for the rest) are the same bits as each token's alone (the one-vector kernel), over several
 * column slices: a prefill and a one-token decode agree exactly. Run at every vector width. (Q8_0's prompts go
 * through a float panel, {@code PanelProduct}, whose sums differ from its one-vector kernel's by rounding.)
 */
class PromptProductBitsTest {
    private static final int ROWS = 13;
    private static final int VECTORS = 11;
    private static final int ROW_LENGTH = 4096 + 256;

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q4_K", "Q6_K"})
    void manyVectorsGiveTheSameBitsAsEachAlone(GgmlType type) {
        Random random = new Random(11 + type.id());
        float[] values = new float[ROWS * ROW_LENGTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.05f;
        }
        MemorySegment weights = MemorySegment.ofArray(Codecs.quantize(type, values));
        IntegerMatrix packed = Kernels.forType(type).pack(weights, ROW_LENGTH, ROWS).orElseThrow();
        float[][] x = new float[VECTORS][ROW_LENGTH];
        for (float[] vector : x) {
            for (int i = 0; i < ROW_LENGTH; i++) {
                vector[i] = (float) random.nextGaussian();
            }
        }
        assertManyVectorsGiveTheBitsOfEachAlone(packed, x, type.toString());
    }
}
