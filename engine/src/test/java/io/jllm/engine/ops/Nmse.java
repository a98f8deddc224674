package io.jllm.engine.ops;

import java.util.SplittableRandom;

/** Normalised mean squared error, as llama.cpp's test-backend-ops compares an op with its reference. */
final class Nmse {
    private Nmse() {
    }

    static double of(float[] actual, float[] expected) {
        double error = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - expected[i];
            error += d * d;
            norm += (double) expected[i] * expected[i];
        }
        return norm == 0 ? error : error / norm;
    }

    static float[] gaussian(SplittableRandom random, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * sd);
        }
        return x;
    }
}
