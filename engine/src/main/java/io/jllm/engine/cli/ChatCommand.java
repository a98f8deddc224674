package io.jllm.engine.cli;

import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.chat.session.Conversation;
import io.jllm.engine.cli.chat.ChatConsole;
import io.jllm.engine.cli.chat.ChatInput;
import io.jllm.engine.cli.chat.InterruptSignal;
import io.jllm.engine.cli.fetch.ModelFetcher;
import io.jllm.engine.cli.fetch.ModelSource;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.WarmUp;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code jllm chat}: a conversation with the model, laid out by the model's own chat template, with the
 * KV cache kept between turns. Without {@code -m} it uses SmolLM2-135M-Instruct, fetched on first use.
 */
public final class ChatCommand implements Command {

    private static final int DEFAULT_CONTEXT = 4096;
    private static final String TEMPLATE_KEY = "tokenizer.chat_template";
    private static final SamplerConfig DEFAULTS = SamplerConfig.defaults();

    private static final Args.Declaration OPTIONS = Args.declare()
            .value("-m", "--model")
            .value("--system")
            .value("-n", "--n-predict")
            .value("--temp")
            .value("--top-k")
            .value("--top-p")
            .value("--min-p")
            .value("--repeat-penalty")
            .value("--seed")
            .value("-t", "--threads")
            .value("-c", "--ctx")
            .flag("--stats");

    /** Finds the model to use without {@code -m}, fetching it if needed. */
    @FunctionalInterface
    interface DefaultModel {
        Path path(PrintStream progress) throws IOException;
    }

    private final InputStream in;
    private final boolean processInput;
    private final DefaultModel defaultModel;

    public ChatCommand() {
        this(System.in, true, progress -> new ModelFetcher(ModelFetcher.defaultFolder(System.getenv()),
                List.of("python3"), progress).fetch(ModelSource.SMOLLM2));
    }

    /**
     * @param processInput {@code in} is this process's standard input: Ctrl-C is caught, and a terminal
     *                     gets a prompt
     */
    ChatCommand(InputStream in, boolean processInput, DefaultModel defaultModel) {
        this.in = in;
        this.processInput = processInput;
        this.defaultModel = defaultModel;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "chat with an instruction-tuned model";
    }

    @Override
    public String help() {
        return String.format(Locale.ROOT, """
                usage: jllm chat [-m MODEL] [OPTIONS]

                A conversation with the model, each turn laid out by the model's chat template (the GGUF key
                %s; a model without one cannot chat: use jllm run). Answers stream to stdout.
                Earlier turns stay in the KV cache: each message costs only its own tokens. Reads one message
                per line, from a terminal or piped in; at a terminal, Ctrl-C stops an answer.

                %s

                  -m, --model FILE        GGUF model file (default: %s, fetched on first use into
                                          $JLLM_MODELS_DIR or ~/.cache/jllm/models)
                      --system TEXT       system prompt (default: the template's own, if it has one)
                  -n, --n-predict N       most tokens per answer; -1 = until the context is full (default -1)
                      --temp T            temperature; 0 = always the most likely token (default %s)
                      --top-k K           keep the K most likely tokens; 0 = off (default %d)
                      --top-p P           keep the most likely tokens summing to P, in (0, 1]; 1 = off (default %s)
                      --min-p P           keep tokens at least P times as likely as the top one; 0 = off (default %s)
                      --repeat-penalty R  penalise tokens among the last %d; 1 = off (default %s)
                      --seed N            random seed, for repeatable answers (default: random)
                  -t, --threads N         worker threads (default: available processors, here %d)
                  -c, --ctx N             context size in tokens, at most the model's (default %d, or the
                                          model's trained context if smaller)
                      --stats             after each answer, show prompt and generation tokens/s
                """, TEMPLATE_KEY, ChatConsole.COMMANDS, ModelSource.SMOLLM2.fileName(), DEFAULTS.temperature(),
                DEFAULTS.topK(), DEFAULTS.topP(), DEFAULTS.minP(), DEFAULTS.penaltyLastN(), DEFAULTS.repeatPenalty(),
                Runtime.getRuntime().availableProcessors(), DEFAULT_CONTEXT);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Args args = OPTIONS.parse(arguments);
        SamplerConfig sampling = RunCommand.sampling(args);
        GenerateOptions limits = GenerateOptions.maxTokens(RunCommand.valid("-n",
                args.integer("-n", GenerateOptions.UNLIMITED), GenerateOptions::maxTokens));
        int threads = RunCommand.valid("-t", args.integer("-t", Runtime.getRuntime().availableProcessors()),
                ModelOptions.defaults()::withThreads);
        int requestedContext = args.integer("-c", DEFAULT_CONTEXT);
        if (requestedContext < 1) {
            throw new UsageException("option -c must be at least 1, got " + requestedContext);
        }
        Path model = args.has("-m") ? Path.of(args.string("-m")) : defaultModel.path(err);
        String template = chatTemplate(model);

        try (Engine engine = Engine.load(model, ModelOptions.defaults().withThreads(threads))) {
            int context = args.has("-c") ? requestedContext : Math.min(DEFAULT_CONTEXT, engine.model().contextLength());
            Tokenizer tokenizer = engine.tokenizer();
            Conversation conversation = new Conversation(engine.newSession(context, sampling), tokenizer,
                    new ChatTemplate(template, text(tokenizer, tokenizer.bosToken()),
                            text(tokenizer, tokenizer.eosToken())), args.string("--system", null));
            boolean terminal = processInput && System.console() != null && System.console().isTerminal();
            PrintStream notes = terminal ? out : err;
            if (terminal) {
                out.printf(Locale.ROOT, "jllm chat: %s, %d-token context. /help lists the commands; Ctrl-C stops"
                        + " an answer.%n", model.getFileName(), context);
            }
            ChatInput input = ChatInput.reading(in);
            ChatConsole console = new ChatConsole(conversation, input, out, notes, terminal, args.has("--stats"),
                    limits);
            InterruptSignal ctrlC = processInput ? catchCtrlC(input, notes) : null;
            // A person takes seconds to type the first message: time enough to compile the kernels.
            WarmUp warmUp = terminal ? WarmUp.start(engine) : null;
            try {
                console.run();
            } finally {
                if (warmUp != null) {
                    warmUp.close();
                }
                if (ctrlC != null) {
                    ctrlC.close();
                }
            }
        }
        return 0;
    }

    /** Routes Ctrl-C to the chat; null (and a note) where the JVM keeps SIGINT to itself, as under -Xrs. */
    private static InterruptSignal catchCtrlC(ChatInput input, PrintStream notes) {
        try {
            return InterruptSignal.routeTo(input);
        } catch (IllegalArgumentException e) {
            notes.println("(Ctrl-C cannot be caught here: it will end jllm; " + e.getMessage() + ")");
            return null;
        }
    }

    /** The model's chat template, read before the weights are loaded so a model without one fails at once. */
    private static String chatTemplate(Path model) throws IOException {
        try (GgufFile file = GgufFile.open(model)) {
            return file.metadata().findString(TEMPLATE_KEY).orElseThrow(() -> new IllegalArgumentException(model
                    + " has no chat template (" + TEMPLATE_KEY + "), so there is no telling how to lay out a"
                    + " conversation for it; 'jllm run' continues plain text"));
        } catch (GgufFormatException e) {
            throw new IOException(model + ": " + e.getMessage(), e);
        }
    }

    private static String text(Tokenizer tokenizer, int token) {
        return token < 0 ? "" : tokenizer.tokenText(token);
    }
}
