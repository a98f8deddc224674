package io.jllm.bench.synth;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The exact hyperparameters of a real model, so a synthetic file has its memory traffic and arithmetic.
 *
 * @param ropeScaling Llama-3 style frequency scaling written as a {@code rope_freqs} tensor, or null
 */
public record ModelShape(String name, String architecture, int embeddingLength, int feedForwardLength,
                         int blockCount, int headCount, int headCountKv, int vocabSize, int contextLength,
                         float ropeFreqBase, float rmsEpsilon, boolean tiedEmbeddings, boolean qkvBias,
                         Llama3RopeScaling ropeScaling) {

    /** Llama 3.1/3.2 rope scaling parameters ({@code rope_scaling} of the HF config). */
    public record Llama3RopeScaling(float factor, float lowFreqFactor, float highFreqFactor, int originalContext) {
    }

    private static final Map<String, ModelShape> PRESETS = new TreeMap<>();

    static {
        Llama3RopeScaling llama3 = new Llama3RopeScaling(32f, 1f, 4f, 8192);
        add(new ModelShape("llama-3.2-1b", "llama", 2048, 8192, 16, 32, 8, 128256, 131072, 500000f, 1e-5f,
                true, false, llama3));
        add(new ModelShape("llama-3.2-3b", "llama", 3072, 8192, 28, 24, 8, 128256, 131072, 500000f, 1e-5f,
                true, false, llama3));
        add(new ModelShape("qwen2.5-0.5b", "qwen2", 896, 4864, 24, 14, 2, 151936, 32768, 1000000f, 1e-6f,
                true, true, null));
        add(new ModelShape("smollm2-135m", "llama", 576, 1536, 30, 9, 3, 49152, 8192, 100000f, 1e-5f,
                true, false, null));
    }

    private static void add(ModelShape shape) {
        PRESETS.put(shape.name(), shape);
    }

    public static Optional<ModelShape> preset(String name) {
        return Optional.ofNullable(PRESETS.get(name));
    }

    public static String presetNames() {
        return String.join(", ", PRESETS.keySet());
    }

    public int headDim() {
        return embeddingLength / headCount;
    }

    /** Llama-3 rope frequency factors, computed as llama.cpp's converter does; one per rotated pair. */
    float[] ropeFactors() {
        int dim = headDim();
        float[] factors = new float[dim / 2];
        double lowWavelen = ropeScaling.originalContext() / ropeScaling.lowFreqFactor();
        double highWavelen = ropeScaling.originalContext() / ropeScaling.highFreqFactor();
        for (int i = 0; i < factors.length; i++) {
            double freq = 1.0 / Math.pow(ropeFreqBase, 2.0 * i / dim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                factors[i] = 1f;
            } else if (wavelen > lowWavelen) {
                factors[i] = ropeScaling.factor();
            } else {
                double smooth = (ropeScaling.originalContext() / wavelen - ropeScaling.lowFreqFactor())
                        / (ropeScaling.highFreqFactor() - ropeScaling.lowFreqFactor());
                factors[i] = (float) (1 / ((1 - smooth) / ropeScaling.factor() + smooth));
            }
        }
        return factors;
    }

    @Override
    public String toString() {
        return name + " (" + architecture + ", " + Arrays.asList(embeddingLength, feedForwardLength, blockCount)
                + ")";
    }
}
