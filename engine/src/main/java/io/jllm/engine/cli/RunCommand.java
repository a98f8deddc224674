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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code jllm run}: continues a prompt, streaming the text to stdout and the speed to stderr. */
public final class RunCommand implements Command {

    private static final int DEFAULT_CONTEXT = 4096;
    private static final SamplerConfig DEFAULTS = SamplerConfig.defaults();

    private final Args.Declaration options = Args.declare()
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
    private final List<RunExtension> extensions;

    public RunCommand() {
        this(Models::load, ServiceLoader.load(RunExtension.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    RunCommand(ModelLoader loader) {
        this(loader, List.of());
    }

    RunCommand(ModelLoader loader, List<RunExtension> extensions) {
        this.loader = loader;
        this.extensions = List.copyOf(extensions);
        extensions.forEach(extension -> extension.declareOptions(options));
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
                DEFAULTS.repeatPenalty(), Runtime.getRuntime().availableProcessors(), DEFAULT_CONTEXT)
                + extensions.stream().map(RunExtension::optionsHelp).collect(Collectors.joining());
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws IOException {
        Args args = options.parse(arguments);
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
            try (RunExtension.Hook hook = hook(args, model, engine)) {
                GenerationResult result = generator.generate(hook.prompt(prompt),
                        hook.options(GenerateOptions.maxTokens(maxTokens)), hook.listener(), piece -> {
                            out.print(piece);
                            out.flush();
                        });
                out.println();
                hook.finished(result, err);
                report(result, sampling.seed(), err);
            }
        }
        return 0;
    }

    /** The one extension the command line asks for, or a hook that changes nothing. */
    private RunExtension.Hook hook(Args args, Path model, Engine engine) throws IOException {
        List<RunExtension.Hook> hooks = new ArrayList<>();
        try {
            for (RunExtension extension : extensions) {
                extension.start(args, model, engine).ifPresent(hooks::add);
            }
            if (hooks.size() > 1) {
                throw new UsageException("these options cannot be combined in one run: they belong to "
                        + hooks.size() + " different extensions");
            }
        } catch (IOException | RuntimeException e) {
            for (RunExtension.Hook started : hooks) {
                started.close();
            }
            throw e;
        }
        return hooks.isEmpty() ? new PlainRun() : hooks.getFirst();
    }

    /** A run without extensions: the prompt as given, no listener, no report. */
    private static final class PlainRun implements RunExtension.Hook {
        @Override
        public String prompt(String userPrompt) {
            return userPrompt;
        }

        @Override
        public DecodeListener listener() {
            return DecodeListener.none();
        }

        @Override
        public void finished(GenerationResult result, PrintStream err) {
        }

        @Override
        public void close() {
        }
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
