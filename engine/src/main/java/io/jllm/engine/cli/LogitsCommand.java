package io.jllm.engine.cli;

import io.jllm.engine.json.Json;
import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.model.Models;
import io.jllm.engine.parallel.ExecutorKind;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jllm logits}: evaluates given token ids in one prefill and prints every position's logits. */
public final class LogitsCommand implements Command {

    @Override
    public String name() {
        return "logits";
    }

    @Override
    public String summary() {
        return "print the logits of every position for given token ids";
    }

    @Override
    public String help() {
        return """
                usage: jllm logits -m MODEL --tokens ID,ID,... [--json] [-t N] [--executor KIND]

                Evaluates exactly the given token ids (no BOS is added) in one prefill from an empty cache
                and prints the logits of every position.

                  -m, --model PATH     the GGUF model file
                  --tokens IDS         comma-separated token ids
                  --json               print {"n_vocab": n, "logits": [[...], ...]} instead of text
                  -t, --threads N      worker threads (default: available processors)
                  --executor KIND      spinning (default), virtual, platform or serial
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path model = null;
        int[] tokens = null;
        boolean json = false;
        ModelOptions options = ModelOptions.defaults();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-m", "--model" -> model = Path.of(value(args, ++i, arg));
                case "--tokens" -> tokens = parseTokens(value(args, ++i, arg));
                case "--json" -> json = true;
                case "-t", "--threads" -> options = options.withThreads(positive(value(args, ++i, arg), arg));
                case "--executor" -> options = options.withExecutor(executor(value(args, ++i, arg)));
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (model == null) {
            throw new UsageException("missing -m MODEL");
        }
        if (tokens == null) {
            throw new UsageException("missing --tokens");
        }
        try (LanguageModel lm = Models.load(model, options)) {
            for (int token : tokens) {
                if (token >= lm.vocabularySize()) {
                    err.println("jllm logits: token id " + token + " is out of range: " + model.getFileName()
                            + " has " + lm.vocabularySize() + " tokens (ids 0.." + (lm.vocabularySize() - 1) + ")");
                    return 1;
                }
            }
            float[][] logits = lm.forward(tokens, lm.newCache(tokens.length), true);
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("n_vocab", lm.vocabularySize());
                result.put("logits", logits);
                out.println(Json.write(result));
            } else {
                printText(tokens, logits, out);
            }
        }
        return 0;
    }

    private static void printText(int[] tokens, float[][] logits, PrintStream out) {
        for (int p = 0; p < logits.length; p++) {
            StringBuilder line = new StringBuilder("position ").append(p).append(" token ").append(tokens[p])
                    .append(':');
            for (float v : logits[p]) {
                line.append(' ').append(v);
            }
            out.println(line);
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int[] parseTokens(String list) {
        if (list.isBlank()) {
            throw new UsageException("--tokens: no token ids given");
        }
        return Arrays.stream(list.split(",", -1)).mapToInt(s -> {
            try {
                int id = Integer.parseInt(s.strip());
                if (id < 0) {
                    throw new UsageException("--tokens: token id " + id + " is negative");
                }
                return id;
            } catch (NumberFormatException e) {
                throw new UsageException("--tokens: '" + s + "' is not a token id");
            }
        }).toArray();
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new UsageException(option + " must be at least 1, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + value + "' is not a number");
        }
    }

    private static ExecutorKind executor(String name) {
        try {
            return ExecutorKind.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
