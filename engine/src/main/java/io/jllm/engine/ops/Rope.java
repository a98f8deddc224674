package io.jllm.engine.ops;

/**
 * Rotary position embedding over the first {@code dimensionCount} elements of a head (the rest pass through).
 * Pair {@code i} turns by {@code position · base^(-2i/d) / factor[i]}, where the optional factors are the
 * Llama-3 {@code rope_freqs} tensor. Angles are computed once per position ({@link #angles}) and shared by
 * every head and layer.
 */
public final class Rope {
    private final int dimensionCount;
    private final RopeLayout layout;
    private final double[] frequencies;

    /**
     * @param freqFactors {@code dimensionCount / 2} divisors of the frequencies, or null for none
     */
    public Rope(int dimensionCount, float freqBase, float[] freqFactors, RopeLayout layout) {
        if (dimensionCount <= 0 || dimensionCount % 2 != 0) {
            throw new IllegalArgumentException("rope dimension count must be positive and even, got " + dimensionCount);
        }
        if (freqFactors != null && freqFactors.length != dimensionCount / 2) {
            throw new IllegalArgumentException("rope frequency factors: expected " + dimensionCount / 2
                    + " values, got " + freqFactors.length);
        }
        this.dimensionCount = dimensionCount;
        this.layout = layout;
        this.frequencies = new double[dimensionCount / 2];
        for (int i = 0; i < frequencies.length; i++) {
            double factor = freqFactors == null ? 1 : freqFactors[i];
            frequencies[i] = Math.pow(freqBase, -2.0 * i / dimensionCount) / factor;
        }
    }

    /** The number of rotated pairs: the length of the {@code cos}/{@code sin} arrays. */
    public int pairCount() {
        return frequencies.length;
    }

    /** The cosines and sines of every pair's angle at {@code position}. */
    public void angles(int position, float[] cos, float[] sin) {
        for (int i = 0; i < frequencies.length; i++) {
            double theta = position * frequencies[i];
            cos[i] = (float) Math.cos(theta);
            sin[i] = (float) Math.sin(theta);
        }
    }

    /** Rotates the head starting at {@code x[off]} by the angles from {@link #angles}. */
    public void rotate(float[] x, int off, float[] cos, float[] sin) {
        int half = dimensionCount / 2;
        for (int i = 0; i < half; i++) {
            int a = layout == RopeLayout.ADJACENT_PAIRS ? off + 2 * i : off + i;
            int b = layout == RopeLayout.ADJACENT_PAIRS ? a + 1 : a + half;
            float x0 = x[a];
            float x1 = x[b];
            x[a] = x0 * cos[i] - x1 * sin[i];
            x[b] = x0 * sin[i] + x1 * cos[i];
        }
    }

    /**
     * The reference: each pair read as the complex number {@code x_a + i·x_b} and multiplied by
     * {@code e^(iθ)} in double precision, the angle taken from the formula directly.
     */
    public void reference(float[] x, int off, int position) {
        int half = dimensionCount / 2;
        for (int i = 0; i < half; i++) {
            int a = layout == RopeLayout.ADJACENT_PAIRS ? off + 2 * i : off + i;
            int b = layout == RopeLayout.ADJACENT_PAIRS ? a + 1 : a + half;
            double theta = position * frequencies[i];
            double re = x[a];
            double im = x[b];
            x[a] = (float) (re * Math.cos(theta) - im * Math.sin(theta));
            x[b] = (float) (re * Math.sin(theta) + im * Math.cos(theta));
        }
    }
}
