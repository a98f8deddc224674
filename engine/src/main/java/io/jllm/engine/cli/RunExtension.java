package io.jllm.engine.cli;

import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A plug-in for {@code jllm run}, found with {@link java.util.ServiceLoader} (list the implementation in
 * {@code META-INF/services/io.jllm.engine.cli.RunExtension}), so that modules downstream of the engine change
 * what a run does without the engine knowing them: the tools module adds {@code --tools}. An extension adds
 * options; when the command line gives them, it may rewrite the prompt, watches the tokens with its own
 * {@link DecodeListener} and reports on stderr at the end. At most one extension may be active in a run.
 */
public interface RunExtension {

    /** Adds this extension's options to those of {@code jllm run}. */
    void declareOptions(Args.Declaration options);

    /** Help lines for those options, formatted like the run command's own (two spaces, option, description). */
    String optionsHelp();

    /**
     * Prepares one run.
     *
     * @param args  the parsed command line, this extension's options included
     * @param model the model file, for metadata the engine does not expose (the chat template)
     * @return empty when the command line does not ask for this extension
     * @throws UsageException when its options are wrong
     */
    Optional<Hook> start(Args args, Path model, Engine engine) throws IOException;

    /** What an active extension does in one run; closed when the run ends. */
    interface Hook extends AutoCloseable {

        /** The text to generate from, given the user's prompt (a few-shot prompt, a chat rendering). */
        String prompt(String userPrompt);

        /** The limits to generate with, given those of the command line (a few-shot prompt adds stop strings). */
        default GenerateOptions options(GenerateOptions requested) {
            return requested;
        }

        /** Sees every sampled token. */
        DecodeListener listener();

        /** Called once after the generation, before the speed report. */
        void finished(GenerationResult result, PrintStream err);

        @Override
        void close() throws IOException;
    }
}
