package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The K-quant integer path against llama.cpp itself: rows quantized by ggml, and the dot products its CPU backend
 * computed for them ({@code ggml_vec_dot_q4_K_q8_K}, {@code ggml_vec_dot_q6_K_q8_K}) after quantizing the
 * activations to Q8_K (fixtures by {@code engine/src/test/python/make_kquant_dot_fixtures.py}). Both sum exact
 * integers per super-block and differ only in the order of the float sums over super-blocks and lanes.
 */
class KQuantLlamaCppTest {
    private static final int ROWS = 8;
    private static final int COLUMNS = 1024;
    private static final int VECTORS = 3;

    @ParameterizedTest
    @EnumSource(names = {"Q4_K", "Q6_K"})
    void rowTimesVectorIsLlamaCppsDotProduct(GgmlType type) {
        MemorySegment weights = MemorySegment.ofArray(resource(type + ".weights.bin"));
        float[] activations = floats(resource("activations.f32"));
        float[] expected = floats(resource(type + ".dots.f32"));
        IntegerMatrix view = Kernels.forType(type).integer(weights, COLUMNS, ROWS).orElseThrow();
        QuantizedActivations x = view.format().allocate(VECTORS, COLUMNS);
        x.reset(VECTORS, COLUMNS);
        for (int n = 0; n < VECTORS; n++) {
            float[] vector = new float[COLUMNS];
            System.arraycopy(activations, n * COLUMNS, vector, 0, COLUMNS);
            x.quantize(n, vector);
        }
        float[][] out = new float[VECTORS][ROWS];

        view.multiply(x, 0, ROWS, out);

        for (int n = 0; n < VECTORS; n++) {
            for (int r = 0; r < ROWS; r++) {
                float llamaCpp = expected[n * ROWS + r];
                assertThat(out[n][r]).as("%s row %d times vector %d", type, r, n)
                        .isCloseTo(llamaCpp, within(2e-6f * Math.max(1f, Math.abs(llamaCpp))));
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = KQuantLlamaCppTest.class.getResourceAsStream("/kquant/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource kquant/" + name
                        + " (made by engine/src/test/python/make_kquant_dot_fixtures.py)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] floats(byte[] raw) {
        float[] out = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
