package io.jllm.bench.throughput;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Mean and standard deviation as llama-bench reports them; references from Python's statistics module. */
class StatsTest {

    @Test
    void meanAndSampleStandardDeviationMatchPythonStatistics() {
        // python3: statistics.fmean([10.0, 12.0, 11.5, 9.25]), statistics.stdev(...)
        Stats stats = new Stats(new double[] {10.0, 12.0, 11.5, 9.25});
        assertThat(stats.mean()).isCloseTo(10.6875, within(1e-12));
        assertThat(stats.standardDeviation()).isCloseTo(1.2808688457449497, within(1e-12));
    }

    @Test
    void oneSampleHasNoDeviation() {
        Stats stats = new Stats(new double[] {7.5});
        assertThat(stats.mean()).isEqualTo(7.5);
        assertThat(stats.standardDeviation()).isZero();
    }

    @Test
    void samplesAreCopied() {
        double[] samples = {1, 2};
        Stats stats = new Stats(samples);
        samples[0] = 100;
        assertThat(stats.samples()).containsExactly(1, 2);
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> new Stats(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
