package io.jllm.bench.throughput;

/**
 * One model's measurement.
 *
 * @param loadMillis        {@code Models.load}: parse, map, build (pages of the weights are read later, on first use)
 * @param firstTokenMillis  the first prefill of the prompt after loading, cold (page faults and JIT compilation
 *                          included): the time to first token a user sees
 * @param prompt            tokens/s of prompt processing, one sample per repetition
 * @param generation        tokens/s of generation, one sample per repetition
 */
public record BenchResult(double loadMillis, double firstTokenMillis, Stats prompt, Stats generation) {
}
