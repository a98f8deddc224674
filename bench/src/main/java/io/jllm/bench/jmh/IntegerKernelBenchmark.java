package io.jllm.bench.jmh;

import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Kernels;
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

import java.util.concurrent.TimeUnit;

/**
 * One integer product, single-threaded: a {@code shape} matrix repacked at load (as the engine does for Q4_0
 * and Q8_0) times {@code n} activation vectors already quantized (quantizing is done once per input for all
 * matrices that share it, so it is left out). n = 1 is decode; 64 is one prefill micro-batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class IntegerKernelBenchmark {

    @Param({"Q4_0", "Q8_0"})
    public String type;

    @Param({"1", "2", "8", "64"})
    public int n;

    @Param("8192x2048")
    public String shape;

    private IntegerMatrix matrix;
    private QuantizedActivations x;
    private int rows;
    private float[][] out;

    @Setup
    public void setUp() {
        GgmlType ggmlType = GgmlType.valueOf(type);
        String[] dims = shape.split("x");
        rows = Integer.parseInt(dims[0]);
        int columns = Integer.parseInt(dims[1]);
        matrix = Kernels.forType(ggmlType).pack(RandomMatrix.of(ggmlType, rows, columns, 1), columns, rows)
                .orElseThrow(() -> new IllegalArgumentException(type + " has no repacked integer path"));
        x = matrix.format().allocate(n, columns);
        x.reset(n, columns);
        float[][] values = RandomMatrix.activations(n, columns, 2);
        for (int i = 0; i < n; i++) {
            x.quantize(i, values[i]);
        }
        out = new float[n][rows];
    }

    @Benchmark
    public void multiply(Blackhole blackhole) {
        matrix.multiply(x, 0, rows, out);
        blackhole.consume(out);
    }
}
