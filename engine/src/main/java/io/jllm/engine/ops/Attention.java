package io.jllm.engine.ops;

import java.util.Arrays;

/**
 * Causal scaled dot-product attention of one query head over a KV cache, with grouped-query sharing: query
 * head {@code h} reads KV head {@code h / (headCount / headCountKv)}. A query at position {@code p} sees
 * cache positions {@code 0..p}, or with a sliding window of {@code w} only the last {@code w} of them
 * ({@code p-w+1..p}, llama.cpp's standard SWA mask). Scores are {@code q·k} times a given scale. Cache rows
 * are {@code headCountKv · keyLength} (keys) and {@code headCountKv · valueLength} (values) floats per
 * position; a query row holds every head.
 */
public final class Attention {
    private final int keyLength;
    private final int valueLength;
    private final int groupSize;
    private final int keyStride;
    private final int valueStride;
    private final float scale;

    /** @param scale the factor of every score, usually {@code 1/sqrt(keyLength)} */
    public Attention(int headCount, int headCountKv, int keyLength, int valueLength, float scale) {
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException("head count " + headCount + " is not a multiple of the KV head count "
                    + headCountKv);
        }
        this.keyLength = keyLength;
        this.valueLength = valueLength;
        this.groupSize = headCount / headCountKv;
        this.keyStride = headCountKv * keyLength;
        this.valueStride = headCountKv * valueLength;
        this.scale = scale;
    }

    /**
     * Writes head {@code head}'s output ({@code valueLength} floats) to {@code out[head · valueLength]}.
     *
     * @param q      the token's query row (every head)
     * @param window the sliding window in positions, or 0 for none
     * @param scores scratch of at least {@code position + 1} floats
     */
    public void head(float[] q, int head, float[] keys, float[] values, int position, int window, float[] scores,
                     float[] out) {
        int qOff = head * keyLength;
        int kvHead = head / groupSize;
        int first = firstVisible(position, window);
        int length = position + 1 - first;
        for (int i = 0; i < length; i++) {
            int t = first + i;
            scores[i] = VectorMath.dot(q, qOff, keys, t * keyStride + kvHead * keyLength, keyLength) * scale;
        }
        Softmax.apply(scores, 0, length);
        int outOff = head * valueLength;
        Arrays.fill(out, outOff, outOff + valueLength, 0f);
        for (int i = 0; i < length; i++) {
            int t = first + i;
            VectorMath.addScaled(out, outOff, scores[i], values, t * valueStride + kvHead * valueLength, valueLength);
        }
    }

    /** The scalar reference of {@link #head}, in double precision, masking rather than skipping. */
    public void headReference(float[] q, int head, float[] keys, float[] values, int position, int window,
                              float[] out) {
        int kvHead = head / groupSize;
        double[] weights = new double[position + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t <= position; t++) {
            if (window > 0 && position - t >= window) {
                weights[t] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s = 0;
            for (int i = 0; i < keyLength; i++) {
                s += (double) q[head * keyLength + i] * keys[t * keyStride + kvHead * keyLength + i];
            }
            weights[t] = s * scale;
            max = Math.max(max, weights[t]);
        }
        double sum = 0;
        for (int t = 0; t <= position; t++) {
            weights[t] = Math.exp(weights[t] - max);
            sum += weights[t];
        }
        for (int i = 0; i < valueLength; i++) {
            double acc = 0;
            for (int t = 0; t <= position; t++) {
                acc += weights[t] / sum * values[t * valueStride + kvHead * valueLength + i];
            }
            out[head * valueLength + i] = (float) acc;
        }
    }

    /** The first cache position a query at {@code position} sees. */
    private static int firstVisible(int position, int window) {
        return window > 0 ? Math.max(0, position - window + 1) : 0;
    }
}
