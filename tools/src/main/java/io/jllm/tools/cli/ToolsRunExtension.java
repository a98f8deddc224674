package io.jllm.tools.cli;

import io.jllm.engine.chat.ChatMessage;
import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.cli.Args;
import io.jllm.engine.cli.RunExtension;
import io.jllm.engine.cli.UsageException;
import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.gguf.GgufFile;
import io.jllm.tools.Tool;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.calculator.Calculator;
import io.jllm.tools.calendar.Calendar;
import io.jllm.tools.dispatch.CallForcing;
import io.jllm.tools.dispatch.ChatToolCalls;
import io.jllm.tools.dispatch.DispatchOptions;
import io.jllm.tools.dispatch.FewShotPrompt;
import io.jllm.tools.dispatch.ToolDispatcher;
import io.jllm.tools.wiki.WikiSearch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code jllm run --tools calculator,calendar,wiki}: lets the model call tools while it writes. A model whose
 * chat template has a tool-call format ({@link ChatToolCalls.Format}) gets the user's prompt as a chat turn with
 * the tools offered the template's way; any other model gets the few-shot Toolformer prompt and writes inline
 * calls. The calls with their results appear in the text; a trace of the calls goes to stderr.
 */
public final class ToolsRunExtension implements RunExtension {

    /** Reads a model file's chat template; tests substitute one. */
    @FunctionalInterface
    interface TemplateReader {
        Optional<String> read(Path model) throws IOException;
    }

    private final TemplateReader templates;
    private final Clock clock;

    public ToolsRunExtension() {
        this(ToolsRunExtension::chatTemplate, Clock.systemDefaultZone());
    }

    ToolsRunExtension(TemplateReader templates, Clock clock) {
        this.templates = templates;
        this.clock = clock;
    }

    @Override
    public void declareOptions(Args.Declaration options) {
        options.value("--tools").value("--wiki-corpus").value("--tool-top-k").value("--max-tool-calls");
    }

    @Override
    public String optionsHelp() {
        return String.format(Locale.ROOT, """

                tool use (the model calls tools while it writes; the calls are traced on stderr):
                      --tools LIST        tools to offer, comma-separated: calculator, calendar, wiki
                      --wiki-corpus PATH  the wiki tool's corpus: a .jsonl file of {"title","text"} lines or a
                                          folder of .txt files
                      --tool-top-k K      start a call whenever its opening token is among the K most likely
                                          (Toolformer's rule; 0 = only when sampled; default %d)
                      --max-tool-calls N  the most calls to run (default %d)
                """, CallForcing.DEFAULT_TOP_K, DispatchOptions.DEFAULT_MAX_CALLS);
    }

    @Override
    public Optional<Hook> start(Args args, Path model, Engine engine) throws IOException {
        if (!args.has("--tools")) {
            for (String option : List.of("--wiki-corpus", "--tool-top-k", "--max-tool-calls")) {
                if (args.has(option)) {
                    throw new UsageException("option " + option + " needs --tools");
                }
            }
            return Optional.empty();
        }
        DispatchOptions options;
        try {
            DispatchOptions defaults = DispatchOptions.defaults();
            options = new DispatchOptions(args.integer("--max-tool-calls", defaults.maxCalls()),
                    args.integer("--tool-top-k", defaults.topK()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path corpus = args.has("--wiki-corpus") ? Path.of(args.string("--wiki-corpus")) : null;
        ToolRegistry registry = registry(args.string("--tools"), corpus);
        try {
            return Optional.of(hook(registry, options, model, engine.tokenizer()));
        } catch (IOException | RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private Hook hook(ToolRegistry registry, DispatchOptions options, Path model, Tokenizer tokenizer)
            throws IOException {
        ToolRunner runner = new ToolRunner(registry);
        Optional<String> template = templates.read(model);
        Optional<ChatToolCalls.Format> format = template.flatMap(ChatToolCalls.Format::of);
        if (format.isPresent()) {
            ChatTemplate chatTemplate = new ChatTemplate(template.get(), text(tokenizer, tokenizer.bosToken()),
                    text(tokenizer, tokenizer.eosToken()), clock);
            ChatToolCalls chat = new ChatToolCalls(chatTemplate, format.get(), tokenizer, registry.tools(), Map.of());
            return new ToolsHook(registry, ToolDispatcher.chat(tokenizer, runner, chat, options.maxCalls()),
                    question -> chat.prompt(List.of(ChatMessage.user(question))), List.of());
        }
        FewShotPrompt prompt = FewShotPrompt.forTools(registry.tools());
        return new ToolsHook(registry, ToolDispatcher.toolformer(tokenizer, runner, options), prompt::render,
                List.of(FewShotPrompt.STOP));
    }

    private ToolRegistry registry(String list, Path corpus) {
        ToolRegistry registry = new ToolRegistry();
        for (String name : list.split(",")) {
            Tool tool = switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "calculator" -> new Calculator();
                case "calendar" -> new Calendar(clock);
                case "wiki", "wikisearch" -> new WikiSearch(corpus, ToolCommand.defaultCache());
                default -> throw new UsageException("option --tools: unknown tool '" + name.strip()
                        + "' (tools: calculator, calendar, wiki)");
            };
            if (registry.find(tool.name()).isPresent()) {
                throw new UsageException("option --tools: " + name.strip() + " is listed twice");
            }
            registry.register(tool);
        }
        return registry;
    }

    private static String text(Tokenizer tokenizer, int token) {
        return token < 0 ? "" : tokenizer.tokenText(token);
    }

    private static Optional<String> chatTemplate(Path model) throws IOException {
        try (GgufFile file = GgufFile.open(model)) {
            return file.metadata().findString("tokenizer.chat_template");
        }
    }

    /** One run with tools. */
    private record ToolsHook(ToolRegistry registry, ToolDispatcher dispatcher,
                             UnaryOperator<String> prompter, List<String> stops) implements Hook {

        @Override
        public String prompt(String userPrompt) {
            return prompter.apply(userPrompt);
        }

        @Override
        public GenerateOptions options(GenerateOptions requested) {
            List<String> all = new ArrayList<>(requested.stopStrings());
            all.addAll(stops);
            return new GenerateOptions(requested.maxTokens(), all);
        }

        @Override
        public DecodeListener listener() {
            return dispatcher;
        }

        @Override
        public void finished(GenerationResult result, PrintStream err) {
            List<ToolResult> calls = dispatcher.calls();
            err.printf(Locale.ROOT, "tool calls: %d%n", calls.size());
            for (int i = 0; i < calls.size(); i++) {
                ToolResult call = calls.get(i);
                err.printf(Locale.ROOT, "  %d. %s(%s) → %s (%d ms)%n", i + 1, call.tool(), call.arguments(),
                        call.display(), call.duration().toMillis());
            }
        }

        @Override
        public void close() throws IOException {
            registry.close();
        }
    }
}
