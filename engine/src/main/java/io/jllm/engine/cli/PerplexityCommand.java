package io.jllm.engine.cli;

import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.model.Models;
import io.jllm.engine.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code jllm perplexity}: the perplexity of a model on a text file, computed like llama.cpp's tool. */
public final class PerplexityCommand implements Command {
    private static final int DEFAULT_CONTEXT = 512;
    private static final int DEFAULT_BATCH = 64;

    private static final Args.Declaration OPTIONS = Args.declare()
            .value("-m", "--model")
            .value("-f", "--file")
            .value("-c", "--ctx")
            .value("-b", "--batch")
            .value("--chunks")
            .value("-t", "--threads");

    @Override
    public String name() {
        return "perplexity";
    }

    @Override
    public String summary() {
        return "measure a model's perplexity on a text file";
    }

    @Override
    public String help() {
        return String.format(Locale.ROOT, """
                usage: jllm perplexity -m MODEL -f TEXT [--ctx N] [--batch N] [--chunks N] [-t N]

                Computes perplexity like llama.cpp's llama-perplexity: the text (UTF-8) is tokenized with
                BOS, cut into chunks of --ctx tokens that each start with BOS, and the second half of every
                chunk is scored. The running estimate after each chunk goes to stderr as [chunk]value, the
                final estimate to stdout. The text must fill at least two chunks.

                  -m, --model FILE   GGUF model file (required)
                  -f, --file FILE    UTF-8 text file (required)
                  -c, --ctx N        tokens per chunk (default %d)
                  -b, --batch N      tokens per forward pass; bounds the logits held at once (default %d)
                      --chunks N     score only the first N chunks (default: all)
                  -t, --threads N    worker threads (default: available processors, here %d)
                """, DEFAULT_CONTEXT, DEFAULT_BATCH, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws IOException {
        Args args = OPTIONS.parse(arguments);
        Path modelPath = Path.of(args.string("-m"));
        Path textPath = Path.of(args.string("-f"));
        int context = atLeast(args, "-c", DEFAULT_CONTEXT, 4);
        int batch = atLeast(args, "-b", DEFAULT_BATCH, 1);
        int threads = atLeast(args, "-t", Runtime.getRuntime().availableProcessors(), 1);
        int requestedChunks = atLeast(args, "--chunks", Integer.MAX_VALUE, 1);
        String text = readText(textPath);

        long loadStart = System.nanoTime();
        try (LanguageModel model = Models.load(modelPath, ModelOptions.defaults().withThreads(threads))) {
            Tokenizer tokenizer = model.tokenizer();
            int bos = addsBos(tokenizer) ? tokenizer.bosToken() : -1;
            int[] tokens = tokenizer.encode(text, true, false);
            err.printf(Locale.ROOT, "perplexity: model loaded in %.2f s; %d tokens%n",
                    (System.nanoTime() - loadStart) / 1e9, tokens.length);
            Perplexity perplexity = new Perplexity(model, context, batch);
            if (tokens.length < 2 * context) {
                err.println("jllm perplexity: " + textPath + " tokenizes to only " + tokens.length
                        + " tokens; a context of " + context + " needs at least " + 2 * context);
                return 1;
            }
            int chunks = Math.min(requestedChunks, perplexity.chunksIn(tokens.length));
            err.printf(Locale.ROOT, "perplexity: calculating over %d chunks, n_ctx=%d, batch_size=%d%n", chunks,
                    context, batch);
            Perplexity.Result result = perplexity.compute(tokens, bos, chunks, progress -> {
                if (progress.chunk() == 1) {
                    err.printf(Locale.ROOT, "perplexity: %.2f seconds per pass - ETA %.2f minutes%n",
                            progress.seconds(), progress.seconds() * progress.chunks() / 60);
                }
                err.printf(Locale.ROOT, "[%d]%.4f,", progress.chunk(), progress.perplexity());
                err.flush();
            });
            err.println();
            out.printf(Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f%n", result.perplexity(),
                    result.uncertainty());
        }
        return 0;
    }

    /** Whether encoding with special tokens puts BOS in front, as llama.cpp's add_bos asks. */
    private static boolean addsBos(Tokenizer tokenizer) {
        int[] empty = tokenizer.encode("", true, false);
        return empty.length > 0 && empty[0] == tokenizer.bosToken();
    }

    private static String readText(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "text file not found");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not valid UTF-8 text", e);
        }
    }

    private static int atLeast(Args args, String option, int fallback, int minimum) {
        int value = args.integer(option, fallback);
        if (value < minimum) {
            throw new UsageException("option " + option + " must be at least " + minimum + ", got " + value);
        }
        return value;
    }
}
