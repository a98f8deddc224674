package io.jllm.engine.cli;

import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.generate.Generator;
import io.jllm.engine.generate.Timings;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.model.Models;
import io.jllm.engine.sampling.SamplerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/** {@code jllm run}: continues a prompt, streaming the text to stdout and the speed to stderr. */
public final class RunCommand implements Command {

    private static final int DEFAULT_CONTEXT = 4096;
    private static final SamplerConfig DEFAULTS = SamplerConfig.defaults();

    private static final Args.Declaration OPTIONS = Args.declare()
            .value("-m", "--model")
            .value("-p", "--prompt")
            .value("-n", "--n-predict")
            .value("--temp")
            .value("--top-k")
            .value("--top-p")
            .value("--min-p")
            .value("--repeat-penalty")
            .value("--seed")
            .value("-t", "--threads")
            .value("-c", "--ctx");

    /** Loads the model; tests substitute a scripted one. */
    @FunctionalInterface
    interface ModelLoader {
        LanguageModel load(Path path, ModelOptions options) throws IOException;
    }

    private final ModelLoader loader;

    public RunCommand() {
        this(Models::load);
    }

    RunCommand(ModelLoader loader) {
        this.loader = loader;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "continue a prompt, streaming the text";
    }

    @Override
    public String help() {
        return String.format(Locale.ROOT, """
                usage: jllm run -m MODEL -p TEXT [OPTIONS]

                Continues TEXT with the model, streaming the new text to stdout. Prompt and generation
                speed (tokens/s) go to stderr at the end. The prompt is tokenized with the model's BOS
                and with special-token text (such as <|im_start|>) recognised.

                  -m, --model FILE        GGUF model file (required)
                  -p, --prompt TEXT       text to continue (required)
                  -n, --n-predict N       most tokens to generate; -1 = until the context is full (default 128)
                      --temp T            temperature; 0 = always the most likely token (default %s)
                      --top-k K           keep the K most likely tokens; 0 = off (default %d)
                      --top-p P           keep the most likely tokens summing to P, in (0, 1]; 1 = off (default %s)
                      --min-p P           keep tokens at least P times as likely as the top one; 0 = off (default %s)
                      --repeat-penalty R  penalise tokens among the last %d; 1 = off (default %s)
                      --seed N            random seed, for repeatable output (default: random, shown on stderr)
                  -t, --threads N         worker threads (default: available processors, here %d)
                  -c, --ctx N             context size in tokens, at most the model's (default %d, or the
                                          model's trained context if smaller)
                """, DEFAULTS.temperature(), DEFAULTS.topK(), DEFAULTS.topP(), DEFAULTS.minP(), DEFAULTS.penaltyLastN(),
                DEFAULTS.repeatPenalty(), Runtime.getRuntime().availableProcessors(), DEFAULT_CONTEXT);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws IOException {
        Args args = OPTIONS.parse(arguments);
        Path model = Path.of(args.string("-m"));
        String prompt = args.string("-p");
        int maxTokens = valid("-n", args.integer("-n", 128), GenerateOptions::maxTokens);
        SamplerConfig sampling = sampling(args);
        int threads = valid("-t", args.integer("-t", Runtime.getRuntime().availableProcessors()),
                ModelOptions.defaults()::withThreads);
        int requestedContext = args.integer("-c", DEFAULT_CONTEXT);
        if (requestedContext < 1) {
            throw new UsageException("option -c must be at least 1, got " + requestedContext);
        }

        try (Engine engine = Engine.of(loader.load(model, ModelOptions.defaults().withThreads(threads)))) {
            int context = args.has("-c") ? requestedContext
                    : Math.min(DEFAULT_CONTEXT, engine.model().contextLength());
            Generator generator = engine.newGenerator(context, sampling);
            GenerationResult result = generator.generate(prompt, GenerateOptions.maxTokens(maxTokens), DecodeListener.none(), piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            report(result, sampling.seed(), err);
        }
        return 0;
    }

    /** The sampling options, which run and chat share. */
    static SamplerConfig sampling(Args args) {
        float temperature = valid("--temp", args.decimal("--temp", DEFAULTS.temperature()), DEFAULTS::withTemperature);
        int topK = valid("--top-k", args.integer("--top-k", DEFAULTS.topK()), DEFAULTS::withTopK);
        float topP = valid("--top-p", args.decimal("--top-p", DEFAULTS.topP()), DEFAULTS::withTopP);
        float minP = valid("--min-p", args.decimal("--min-p", DEFAULTS.minP()), DEFAULTS::withMinP);
        float repeat = valid("--repeat-penalty", args.decimal("--repeat-penalty", DEFAULTS.repeatPenalty()),
                r -> DEFAULTS.withPenalties(r, DEFAULTS.frequencyPenalty(), DEFAULTS.presencePenalty(),
                        DEFAULTS.penaltyLastN()));
        long seed = args.longInteger("--seed", new SplittableRandom().nextLong());
        return new SamplerConfig(temperature, topK, topP, minP, repeat, DEFAULTS.frequencyPenalty(),
                DEFAULTS.presencePenalty(), DEFAULTS.penaltyLastN(), seed);
    }

    /** Returns {@code value} if {@code check} accepts it; otherwise a usage error naming the option. */
    static <V> V valid(String option, V value, Function<V, ?> check) {
        try {
            check.apply(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new UsageException("option " + option + ": " + e.getMessage());
        }
    }

    private static void report(GenerationResult result, long seed, PrintStream err) {
        Timings t = result.timings();
        err.printf(Locale.ROOT, "prompt: %d tokens in %.2f s (%.2f tokens/s)%n", t.promptTokens(),
                t.promptNanos() / 1e9, t.promptTokensPerSecond());
        err.printf(Locale.ROOT, "generation: %d tokens in %.2f s (%.2f tokens/s), stopped by %s%n",
                t.generatedTokens(), t.generationNanos() / 1e9, t.generationTokensPerSecond(),
                result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        err.printf(Locale.ROOT, "seed: %d%n", seed);
    }
}
