package io.jllm.bench.throughput;

import io.jllm.engine.cli.Args;
import io.jllm.engine.cli.Command;
import io.jllm.engine.cli.UsageException;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.model.Models;
import io.jllm.engine.parallel.ExecutorKind;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code jllm bench}: prompt-processing and generation speed of a model, like llama.cpp's llama-bench. */
public final class BenchCommand implements Command {

    private static final Args.Declaration OPTIONS = Args.declare()
            .value("-m", "--model")
            .value("-p", "--n-prompt")
            .value("-n", "--n-gen")
            .value("-r", "--repetitions")
            .value("-t", "--threads")
            .value("--executor")
            .flag("--json");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure prompt processing and generation speed (tokens/s), like llama-bench";
    }

    @Override
    public String help() {
        return """
                usage: jllm bench -m MODEL [-p 128] [-n 64] [-r 3] [-t 2] [--executor spinning] [--json]

                Measures like llama.cpp's llama-bench: pp = one prefill of P prompt tokens into an empty KV
                cache, tg = N single-token decodes from an empty cache. After one untimed run of each, every
                test runs R times; the table gives mean ± standard deviation of tokens/s. Also reports the load
                time and the time to first token (the first, cold prefill of the prompt). Token i is
                (1000 + 7919 i) mod vocabulary size, as in bench/scripts/llamacpp_bench.py.

                options:
                  -m, --model FILE        GGUF model file (required)
                  -p, --n-prompt P        prompt tokens (default 128)
                  -n, --n-gen N           generated tokens (default 64)
                  -r, --repetitions R     timed runs of each test (default 3)
                  -t, --threads T         worker threads (default 2)
                      --executor KIND     spinning, virtual, platform or serial
                                          (default spinning)
                      --json              print one JSON object instead of the markdown table
                """;
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        Args args = OPTIONS.parse(arguments);
        Path path = Path.of(args.string("--model"));
        int threads = args.integer("--threads", 2);
        ExecutorKind executor;
        BenchSettings settings;
        ModelOptions options;
        try {
            executor = ExecutorKind.parse(args.string("--executor", "spinning"));
            settings = new BenchSettings(args.integer("-p", 128), args.integer("-n", 64), args.integer("-r", 3));
            options = ModelOptions.defaults().withThreads(threads).withExecutor(executor);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long start = System.nanoTime();
        BenchResult result;
        try (LanguageModel model = Models.load(path, options)) {
            double loadMillis = (System.nanoTime() - start) / 1e6;
            result = new ThroughputBenchmark(model, settings, System::nanoTime).run(loadMillis);
        }
        BenchReport report = new BenchReport(ModelSummary.of(path), path, threads, executor, settings, result);
        out.print(args.has("--json") ? report.json() : report.markdown());
        return 0;
    }
}
