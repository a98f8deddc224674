package io.jllm.bench.synth;

import io.jllm.engine.cli.Args;
import io.jllm.engine.cli.Command;
import io.jllm.engine.cli.UsageException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code jllm synth}: writes a deterministic random-weight model with a real model's shape. */
public final class SynthCommand implements Command {

    private static final Args.Declaration OPTIONS = Args.declare()
            .value("--shape")
            .value("--type")
            .value("-o", "--output")
            .value("--seed")
            .flag("--force");

    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "write a random-weight GGUF model with a real model's shape (for benchmarks)";
    }

    @Override
    public String help() {
        return """
                usage: jllm synth --shape NAME --type TYPE -o FILE [--seed N] [--force]

                Writes a deterministic random-weight GGUF file with the exact shape of a real model, for
                benchmarks: same tensors, sizes and types as the real file, a SentencePiece-style vocabulary
                of the model's size, loadable by jllm and by llama.cpp. The same seed gives the same bytes.

                options:
                  --shape NAME   %s
                  --type TYPE    %s
                                 (q4_k_m: llama.cpp's Q4_K_M mix: Q6_K output and some attn_v/ffn_down)
                  -o, --output   the file to write
                  --seed N       random seed (default 42)
                  --force        overwrite an existing file
                """.formatted(ModelShape.presetNames(), SynthType.names());
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        Args args = OPTIONS.parse(arguments);
        String shapeName = args.string("--shape");
        ModelShape shape = ModelShape.preset(shapeName).orElseThrow(() -> new UsageException(
                "unknown shape '" + shapeName + "'; known shapes: " + ModelShape.presetNames()));
        String typeName = args.string("--type");
        SynthType type = SynthType.parse(typeName).orElseThrow(() -> new UsageException(
                "unknown type '" + typeName + "'; known types: " + SynthType.names()));
        Path output = Path.of(args.string("--output"));
        if (Files.exists(output) && !args.has("--force")) {
            throw new UsageException(output + " exists; pass --force to overwrite it");
        }
        long seed = args.longInteger("--seed", 42);
        long start = System.nanoTime();
        Progress progress = new Progress(err);
        long bytes = new SyntheticModel(shape, type, seed).write(output, progress::update);
        progress.done();
        err.printf(Locale.ROOT, "wrote %s: %s %s, %.1f MB of tensors in %.1f s%n", output, shape.name(),
                type.name().toLowerCase(Locale.ROOT), bytes / 1e6, (System.nanoTime() - start) / 1e9);
        out.println(output);
        return 0;
    }

    /** A one-line progress display on stderr, redrawn at most every half second. */
    private static final class Progress {
        private final PrintStream err;
        private long lastDraw;

        Progress(PrintStream err) {
            this.err = err;
        }

        void update(long bytes) {
            long now = System.nanoTime();
            if (now - lastDraw > 500_000_000L) {
                lastDraw = now;
                err.printf(Locale.ROOT, "\r  %.0f MB written", bytes / 1e6);
                err.flush();
            }
        }

        void done() {
            err.print("\r");
        }
    }
}
