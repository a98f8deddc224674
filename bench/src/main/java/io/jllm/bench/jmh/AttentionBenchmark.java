package io.jllm.bench.jmh;

import io.jllm.engine.ops.Attention;
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
 * Attention of one token over {@code position} cached positions, every query head in turn on one thread, with the
 * 1B Llama's heads: 32 query heads sharing 8 KV heads of 64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class AttentionBenchmark {
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int HEAD_SIZE = 64;

    @Param({"128", "1024"})
    public int position;

    private Attention attention;
    private float[] q;
    private float[] keys;
    private float[] values;
    private float[] scores;
    private float[] out;

    @Setup
    public void setUp() {
        attention = new Attention(HEADS, KV_HEADS, HEAD_SIZE, HEAD_SIZE, (float) (1 / Math.sqrt(HEAD_SIZE)));
        q = RandomMatrix.activations(1, HEADS * HEAD_SIZE, 1)[0];
        keys = RandomMatrix.activations(1, (position + 1) * KV_HEADS * HEAD_SIZE, 2)[0];
        values = RandomMatrix.activations(1, (position + 1) * KV_HEADS * HEAD_SIZE, 3)[0];
        scores = new float[position + 1];
        out = new float[HEADS * HEAD_SIZE];
    }

    @Benchmark
    public void allHeads(Blackhole blackhole) {
        for (int h = 0; h < HEADS; h++) {
            attention.head(q, h, keys, values, position, 0, scores, out);
        }
        blackhole.consume(out);
    }
}
