package io.jllm.engine.cli;

import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.engine.tokenizer.Tokenizers;
import io.jllm.gguf.GgufFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** {@code jllm tokenize}: prints the token ids of a text, or of every case of a llama.cpp tokenizer test file. */
public final class TokenizeCommand implements Command {
    /** The separator line of llama.cpp's {@code .inp} tokenizer test files. */
    static final String TEST_SEPARATOR = "\n__ggml_vocab_test__\n";

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "print the token ids of a text";
    }

    @Override
    public String help() {
        return """
                usage: jllm tokenize -m MODEL (--text TEXT | --file FILE) [--show-pieces]

                  -m, --model FILE   GGUF model file (a vocabulary-only file is enough)
                  --text TEXT        tokenize TEXT as a prompt: BOS/EOS as the model asks, special-token
                                     text (for example <|im_start|>) becomes its token; prints the ids
                                     separated by spaces
                  --file FILE        llama.cpp tokenizer test file: cases each followed by a line
                                     __ggml_vocab_test__; no BOS/EOS, special-token text stays plain text;
                                     prints one line per case, each id preceded by a space (the .out format)
                  --show-pieces      with --text: one token per line with the text it stands for
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options options = Options.parse(args);
        Tokenizer tokenizer = load(options.model());
        if (options.text() != null) {
            int[] ids = tokenizer.encode(options.text(), true, true);
            out.print(options.showPieces() ? pieces(tokenizer, ids) : spaceSeparated(ids) + "\n");
        } else {
            for (String testCase : testCases(options.file())) {
                out.print(spacePrefixed(tokenizer.encode(testCase, false, false)) + "\n");
            }
        }
        out.flush();
        return 0;
    }

    private record Options(Path model, String text, Path file, boolean showPieces) {
        static Options parse(List<String> args) {
            Path model = null;
            String text = null;
            Path file = null;
            boolean showPieces = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "-m", "--model" -> model = Path.of(value(args, ++i, arg));
                    case "--text" -> text = value(args, ++i, arg);
                    case "--file" -> file = Path.of(value(args, ++i, arg));
                    case "--show-pieces" -> showPieces = true;
                    default -> throw new UsageException("unknown option '" + arg + "'");
                }
            }
            if (model == null) {
                throw new UsageException("missing -m MODEL");
            }
            if ((text == null) == (file == null)) {
                throw new UsageException("give exactly one of --text TEXT and --file FILE");
            }
            if (showPieces && file != null) {
                throw new UsageException("--show-pieces works with --text only");
            }
            return new Options(model, text, file, showPieces);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new UsageException(option + " needs a value");
            }
            return args.get(i);
        }
    }

    private static Tokenizer load(Path model) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IOException("model file not found: " + model);
        }
        try (GgufFile file = GgufFile.open(model)) {
            return Tokenizers.fromGguf(file);
        }
    }

    /** The cases of a llama.cpp {@code .inp} file, read without any trimming. */
    static List<String> testCases(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("test file not found: " + file);
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        List<String> cases = new ArrayList<>(Arrays.asList(content.split(Pattern.quote(TEST_SEPARATOR), -1)));
        if (cases.getLast().isEmpty()) {
            cases.removeLast();
        }
        return cases;
    }

    private static String spaceSeparated(int[] ids) {
        return String.join(" ", Arrays.stream(ids).mapToObj(Integer::toString).toList());
    }

    private static String spacePrefixed(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(' ').append(id);
        }
        return sb.toString();
    }

    private static String pieces(Tokenizer tokenizer, int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            byte[] bytes = tokenizer.tokenBytes(id);
            String piece = bytes.length == 0 ? tokenizer.tokenText(id) : new String(bytes, StandardCharsets.UTF_8);
            sb.append(String.format("%6d -> '%s'\n", id, piece));
        }
        return sb.toString();
    }
}
