package io.jllm.bench.jmh;

import io.jllm.engine.cli.Command;
import io.jllm.engine.cli.UsageException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.PrintStream;
import java.util.List;

/** {@code jllm jmh}: runs the JMH benchmarks packed in the jar, taking JMH's own command line. */
public final class JmhCommand implements Command {

    @Override
    public String name() {
        return "jmh";
    }

    @Override
    public String summary() {
        return "run the JMH micro-benchmarks (kernels, attention, executors)";
    }

    @Override
    public String help() {
        return """
                usage: jllm jmh [JMH OPTIONS] [BENCHMARK REGEX...]

                Runs the JMH benchmarks in io.jllm.bench.jmh (one fork, 2 x 1 s warm-up, 3 x 1 s measurement
                unless overridden). Results go to stdout as JMH prints them.

                  KernelBenchmark     one kernel call on a rows x columns matrix times n activation vectors
                                      params: type (every supported ggml type), n (1..8, 32, 128), shape (8192x2048)
                  IntegerKernelBenchmark  one integer product as the engine runs it (quantize n vectors, multiply)
                                      params: type (Q4_0, Q8_0, Q4_K, Q6_K), n (1, 2, 8, 64), shape (8192x2048)
                  AttentionBenchmark  one token's attention over position cached positions (128, 1024)
                  ExecutorBenchmark   spinning workers vs virtual threads vs a platform pool vs serial, on 512x2048 and 8192x2048
                                      Q4_0 matrix-vector products and on an empty task (hand-off cost)

                common JMH options:
                  -l                   list the benchmarks
                  -p NAME=V1,V2        restrict a parameter, e.g. -p type=Q4_0,Q4_K -p n=1,8
                  -wi N / -i N         warm-up / measurement iterations;  -w 1s / -r 1s  their length
                  -f N                 forks
                  -rf json -rff FILE   also write the results as JSON

                example: jllm jmh KernelBenchmark -p type=Q4_0,Q4_K -p n=1,4,8
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new UsageException(e.getMessage());
        }
        if (options.shouldList()) {
            new Runner(options).list();
            return 0;
        }
        new Runner(options).run();
        return 0;
    }
}
