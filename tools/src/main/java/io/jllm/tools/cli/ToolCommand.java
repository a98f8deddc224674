package io.jllm.tools.cli;

import io.jllm.engine.cli.Command;
import io.jllm.engine.cli.UsageException;
import io.jllm.tools.BuiltinTools;
import io.jllm.tools.Tool;
import io.jllm.tools.ToolException;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.wiki.WikiSearch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code jllm tool NAME ARGUMENTS}: runs one tool call and prints its result, for trying tools by hand. */
public final class ToolCommand implements Command {

    private static final int DEFAULT_TIMEOUT_SECONDS = 10;
    /** Lucene announces its vector setup at INFO on stderr; this command prints only results and errors. */
    private static final Logger LUCENE_VECTORIZATION = Logger.getLogger("org.apache.lucene.internal.vectorization");

    @Override
    public String name() {
        return "tool";
    }

    @Override
    public String summary() {
        return "run one tool call (calculator, calendar, wikisearch) and print its result";
    }

    @Override
    public String help() {
        StringBuilder sb = new StringBuilder("""
                usage: jllm tool NAME [ARGUMENTS...] [OPTIONS]

                Runs NAME(ARGUMENTS) and prints the result on stdout; a failing call prints the error on stderr
                and exits with status 1. Names ignore case; several ARGUMENTS words are joined with spaces.

                tools:
                """);
        // Without a corpus no tool opens anything, so this registry needs no closing.
        ToolRegistry registry = BuiltinTools.registry(Clock.systemDefaultZone(), null, defaultCache());
        for (Tool tool : registry.tools()) {
            sb.append(String.format("  %-11s %s%n", tool.name().toLowerCase(Locale.ROOT), tool.description()));
            tool.syntax().lines().forEach(example -> sb.append("              ").append(example).append('\n'));
        }
        sb.append("""

                options:
                  --today YYYY-MM-DD   the date Calendar takes as today (default: the system date)
                  --wiki-corpus PATH   WikiSearch's corpus: a .jsonl file of {"title","text"} lines or a folder of .txt files
                  --wiki-cache DIR     where WikiSearch keeps its index (default: $XDG_CACHE_HOME/jllm/wiki or ~/.cache/jllm/wiki)
                  --timeout SECONDS    how long a call may run (default: %d)
                """.formatted(DEFAULT_TIMEOUT_SECONDS));
        return sb.toString();
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(args);
        LUCENE_VECTORIZATION.setLevel(Level.WARNING);
        try (ToolRegistry registry = BuiltinTools.registry(options.clock(), options.wikiCorpus(),
                options.wikiCache())) {
            Tool tool = registry.find(options.tool()).orElseThrow(() -> new UsageException("unknown tool '"
                    + options.tool() + "' (tools: " + String.join(", ", registry.names()).toLowerCase(Locale.ROOT)
                    + ")"));
            if (tool instanceof WikiSearch wiki && options.wikiCorpus() != null) {
                try {
                    wiki.open();
                } catch (ToolException e) {
                    err.println("jllm tool: " + e.getMessage());
                    return 1;
                }
            }
            ToolRunner runner = new ToolRunner(registry, options.timeout(), Integer.MAX_VALUE,
                    ToolRunner.DEFAULT_MAX_ARGUMENT_CHARS);
            ToolResult result = runner.run(tool.name(), options.arguments());
            if (!result.succeeded()) {
                err.println("jllm tool: " + result.error());
                return 1;
            }
            out.println(result.text());
            return 0;
        }
    }

    static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jllm").resolve("wiki");
    }

    private record Options(String tool, String arguments, Clock clock, Path wikiCorpus, Path wikiCache,
                           Duration timeout) {

        static Options parse(List<String> args) {
            List<String> words = new ArrayList<>();
            Clock clock = Clock.systemDefaultZone();
            Path corpus = null;
            Path cache = defaultCache();
            Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--today" -> clock = today(value(args, ++i, arg));
                    case "--wiki-corpus" -> corpus = Path.of(value(args, ++i, arg));
                    case "--wiki-cache" -> cache = Path.of(value(args, ++i, arg));
                    case "--timeout" -> timeout = seconds(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new UsageException("unknown option " + arg);
                        }
                        words.add(arg);
                    }
                }
            }
            if (words.isEmpty()) {
                throw new UsageException("missing the tool NAME");
            }
            return new Options(words.getFirst(), String.join(" ", words.subList(1, words.size())), clock,
                    corpus, cache, timeout);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new UsageException(option + " needs a value");
            }
            return args.get(i);
        }

        private static Clock today(String date) {
            try {
                return Clock.fixed(LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new UsageException("--today needs an existing date as YYYY-MM-DD, got '" + date + "'");
            }
        }

        private static Duration seconds(String text) {
            double s;
            try {
                s = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                s = Double.NaN;
            }
            if (s > 0 && s <= 86_400) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
            throw new UsageException("--timeout needs a number of seconds between 0 and 86400, got '" + text + "'");
        }
    }
}
