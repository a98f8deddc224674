package io.jllm.bench.jmh;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Kernels;
import io.jllm.engine.quant.MatMulKernel;
import io.jllm.engine.quant.QuantizedActivations;
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
 * The integer path of the types that have one, single-threaded, as the engine runs it: the activations quantized
 * to the matrix's format, then the whole {@code shape} matrix multiplied (a repacked copy where the type repacks,
 * else a view of the stored blocks). Compare with {@link KernelBenchmark}, the same shapes on the float kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class IntegerKernelBenchmark {

    @Param({"Q4_0", "Q4_1", "Q5_0", "Q8_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"1", "2", "8", "64"})
    public int n;

    @Param("8192x2048")
    public String shape;

    private IntegerMatrix matrix;
    private QuantizedActivations quantized;
    private float[][] x;
    private float[][] out;

    @Setup
    public void setUp() {
        GgmlType ggmlType = GgmlType.valueOf(type);
        MatMulKernel kernel = Kernels.forType(ggmlType);
        String[] dims = shape.split("x");
        int rows = Integer.parseInt(dims[0]);
        int columns = Integer.parseInt(dims[1]);
        MemorySegment weights = RandomMatrix.of(ggmlType, rows, columns, 1);
        matrix = kernel.pack(weights, columns, rows).or(() -> kernel.integer(weights, columns, rows))
                .orElseThrow(() -> new IllegalArgumentException(type + " has no integer path"));
        quantized = matrix.format().allocate(n, columns);
        x = RandomMatrix.activations(n, columns, 2);
        out = new float[n][rows];
    }

    @Benchmark
    public void multiply(Blackhole blackhole) {
        quantized.reset(n, matrix.columns());
        for (int v = 0; v < n; v++) {
            quantized.quantize(v, x[v]);
        }
        matrix.multiply(quantized, 0, matrix.rows(), out);
        blackhole.consume(out);
    }
}
