package io.jllm.bench.jmh;

import io.jllm.engine.parallel.ExecutorKind;
import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.quant.Kernels;
import io.jllm.engine.quant.MatMulKernel;
import io.jllm.gguf.GgmlType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The executors compared on the work they get in decode: a Q4_0 matrix-vector product split by rows (in
 * multiples of 32, as the forward pass does) across {@code threads} workers. Small is the 1B Llama's attn_k /
 * attn_v (512 × 2048), large its ffn_up (8192 × 2048); {@code handOff} runs an empty task and so measures only
 * what it costs to start and join the workers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ExecutorBenchmark {
    private static final int ROW_GRAIN = 32;

    @Param({"SPINNING", "VIRTUAL", "PLATFORM", "SERIAL"})
    public String executor;

    @Param({"512x2048", "8192x2048"})
    public String shape;

    @Param("2")
    public int threads;

    private RangeExecutor rangeExecutor;
    private final MatMulKernel kernel = Kernels.forType(GgmlType.Q4_0);
    private MemorySegment weights;
    private int rows;
    private int columns;
    private float[][] x;
    private float[][] out;

    @Setup
    public void setUp() {
        rangeExecutor = ExecutorKind.parse(executor).create(threads);
        String[] dims = shape.split("x");
        rows = Integer.parseInt(dims[0]);
        columns = Integer.parseInt(dims[1]);
        weights = RandomMatrix.of(GgmlType.Q4_0, rows, columns, 1);
        x = RandomMatrix.activations(1, columns, 2);
        out = new float[1][rows];
    }

    @TearDown
    public void tearDown() {
        rangeExecutor.close();
    }

    @Benchmark
    public void product(Blackhole blackhole) {
        rangeExecutor.forRange(rows, ROW_GRAIN, (worker, from, to) -> kernel.multiply(weights, columns, from, to, x, out));
        blackhole.consume(out);
    }

    @Benchmark
    public void handOff(Blackhole blackhole) {
        rangeExecutor.forRange(rows, ROW_GRAIN, (worker, from, to) -> blackhole.consume(to - from));
    }
}
