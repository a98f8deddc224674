package io.jllm.bench.throughput;

import java.util.Arrays;

/**
 * Repeated measurements of one rate: their mean and sample standard deviation (n - 1 in the denominator, as
 * llama-bench and Python's {@code statistics.stdev}); the deviation of a single sample is 0.
 */
public record Stats(double[] samples) {

    public Stats {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        samples = samples.clone();
    }

    @Override
    public double[] samples() {
        return samples.clone();
    }

    public double mean() {
        return Arrays.stream(samples).sum() / samples.length;
    }

    public double standardDeviation() {
        if (samples.length == 1) {
            return 0;
        }
        double mean = mean();
        double squares = Arrays.stream(samples).map(s -> (s - mean) * (s - mean)).sum();
        return Math.sqrt(squares / (samples.length - 1));
    }
}
