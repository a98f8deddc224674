package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quantize-then-dequantize stays within the error each format allows, on Gaussian weights with a spread of
 * block scales. Bounds: {@code maxBlockError} is the largest error allowed relative to the largest magnitude
 * in its block (half a quantization step, or a whole step where the format clamps the top level: Q4_0 and
 * Q5_0 map the extreme value to -8 / -16 so its mirror can only reach +7 / +15; plus fp16 rounding of the
 * scales; for the K-quants, whose fitted scales may clip, half a step of the 6-bit scale grid on top). {@code
 * maxRelativeRms} bounds the root-mean-square error relative to the RMS of the weights: a uniform quantizer's
 * step / sqrt(12) for the format's bits, with 15 to 30 % margin over what this seed measures.
 */
class RoundTripErrorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // type, maxBlockError (of block amax), maxRelativeRms
            "F16,    0.00049, 0.0003",
            "BF16,   0.0040,  0.0025",
            "Q8_0,   0.0045,  0.0065",
            "Q5_0,   0.063,   0.05",
            "Q5_1,   0.034,   0.05",
            "Q4_0,   0.126,   0.10",
            "Q4_1,   0.068,   0.10",
            "Q6_K,   0.025,   0.022",
            "Q5_K,   0.04,    0.045",
            "Q4_K,   0.08,    0.09",
    })
    void roundTripErrorIsWithinTheFormatsResolution(GgmlType type, double maxBlockError, double maxRelativeRms) {
        float[] weights = gaussianWeights(64 * 256, new Random(42));

        float[] decoded = Codecs.dequantize(type, MemorySegment.ofArray(Codecs.quantize(type, weights)),
                weights.length);

        double errorSquares = 0;
        double weightSquares = 0;
        double worstBlockError = 0;
        int block = Math.max(32, type.blockSize());
        for (int b = 0; b < weights.length; b += block) {
            double amax = 0;
            double maxError = 0;
            for (int i = b; i < b + block; i++) {
                amax = Math.max(amax, Math.abs(weights[i]));
                maxError = Math.max(maxError, Math.abs(decoded[i] - weights[i]));
                errorSquares += (decoded[i] - (double) weights[i]) * (decoded[i] - (double) weights[i]);
                weightSquares += (double) weights[i] * weights[i];
            }
            worstBlockError = Math.max(worstBlockError, maxError / amax);
        }
        double relativeRms = Math.sqrt(errorSquares / weightSquares);
        assertThat(worstBlockError).as(type + " worst error / block amax").isLessThanOrEqualTo(maxBlockError);
        assertThat(relativeRms).as(type + " relative RMS error").isLessThanOrEqualTo(maxRelativeRms);
    }

    /** N(0, 1) weights; each run of 256 scaled by 10^u, u uniform in [-2, 1] (fp16 scales stay normal). */
    private static float[] gaussianWeights(int n, Random random) {
        float[] x = new float[n];
        for (int b = 0; b < n; b += 256) {
            double scale = Math.pow(10, random.nextDouble(-2, 1));
            for (int i = b; i < b + 256; i++) {
                x[i] = (float) (random.nextGaussian() * scale);
            }
        }
        return x;
    }
}
