package io.jllm.engine.ops;

import java.util.Arrays;

/**
 * Causal scaled dot-product attention of one query head over a KV cache, with grouped-query sharing: query
 * head {@code h} reads KV head {@code h / (headCount / headCountKv)}. A query at position {@code p} sees
 * cache positions {@code 0..p}. Cache rows are {@code headCountKv · keyLength} (keys) and
 * {@code headCountKv · valueLength} (values) floats per position; a query row holds every head.
 */
public final class Attention {
    private final int keyLength;
    private final int valueLength;
    private final int groupSize;
    private final int keyStride;
    private final int valueStride;
    private final float scale;

    public Attention(int headCount, int headCountKv, int keyLength, int valueLength) {
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException("head count " + headCount + " is not a multiple of the KV head count "
                    + headCountKv);
        }
        this.keyLength = keyLength;
        this.valueLength = valueLength;
        this.groupSize = headCount / headCountKv;
        this.keyStride = headCountKv * keyLength;
        this.valueStride = headCountKv * valueLength;
        this.scale = (float) (1.0 / Math.sqrt(keyLength));
    }

    /**
     * Writes head {@code head}'s output ({@code valueLength} floats) to {@code out[head · valueLength]}.
     *
     * @param q      the token's query row (every head)
     * @param scores scratch of at least {@code position + 1} floats
     */
    public void head(float[] q, int head, float[] keys, float[] values, int position, float[] scores, float[] out) {
        int qOff = head * keyLength;
        int kvHead = head / groupSize;
        int length = position + 1;
        for (int t = 0; t < length; t++) {
            scores[t] = VectorMath.dot(q, qOff, keys, t * keyStride + kvHead * keyLength, keyLength) * scale;
        }
        Softmax.apply(scores, 0, length);
        int outOff = head * valueLength;
        Arrays.fill(out, outOff, outOff + valueLength, 0f);
        for (int t = 0; t < length; t++) {
            VectorMath.addScaled(out, outOff, scores[t], values, t * valueStride + kvHead * valueLength, valueLength);
        }
    }

    /** The scalar reference of {@link #head}, in double precision. */
    public void headReference(float[] q, int head, float[] keys, float[] values, int position, float[] out) {
        int kvHead = head / groupSize;
        int length = position + 1;
        double[] weights = new double[length];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < length; t++) {
            double s = 0;
            for (int i = 0; i < keyLength; i++) {
                s += (double) q[head * keyLength + i] * keys[t * keyStride + kvHead * keyLength + i];
            }
            weights[t] = s / Math.sqrt(keyLength);
            max = Math.max(max, weights[t]);
        }
        double sum = 0;
        for (int t = 0; t < length; t++) {
            weights[t] = Math.exp(weights[t] - max);
            sum += weights[t];
        }
        for (int i = 0; i < valueLength; i++) {
            double acc = 0;
            for (int t = 0; t < length; t++) {
                acc += weights[t] / sum * values[t * valueStride + kvHead * valueLength + i];
            }
            out[head * valueLength + i] = (float) acc;
        }
    }
}
