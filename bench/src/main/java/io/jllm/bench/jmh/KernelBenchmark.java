package io.jllm.bench.jmh;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One kernel call, single-threaded: a whole {@code shape} matrix (rows × columns, default the 1B Llama's
 * ffn_up/ffn_gate) times {@code n} activation vectors. n = 1 is decode; larger n shows how much a kernel gains
 * from unpacking each block once for several tokens (prefill). The matrix (9.4 MB in Q4_0) stays in a large
 * L3 cache between calls, so this measures compute, not DRAM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KernelBenchmark {

    @Param({"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS",
            "F16", "BF16", "F32"})
    public String type;

    @Param({"1", "2", "3", "4", "5", "6", "7", "8", "32", "128"})
    public int n;

    @Param("8192x2048")
    public String shape;

    private MatMulKernel kernel;
    private MemorySegment weights;
    private int rows;
    private int columns;
    private float[][] x;
    private float[][] out;

    @Setup
    public void setUp() {
        GgmlType ggmlType = GgmlType.valueOf(type);
        kernel = Kernels.forType(ggmlType);
        String[] dims = shape.split("x");
        rows = Integer.parseInt(dims[0]);
        columns = Integer.parseInt(dims[1]);
        weights = RandomMatrix.of(ggmlType, rows, columns, 1);
        x = RandomMatrix.activations(n, columns, 2);
        out = new float[n][rows];
    }

    @Benchmark
    public void multiply(Blackhole blackhole) {
        kernel.multiply(weights, columns, 0, rows, x, out);
        blackhole.consume(out);
    }
}
