package io.jllm.engine.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code jllm} subcommand. Implementations are found with {@link java.util.ServiceLoader}, so modules
 * downstream of the engine (tools, bench) add their commands without the engine knowing them.
 */
public interface Command {

    /** The word that selects this command on the command line, for example {@code inspect}. */
    String name();

    /** One line for the command list in {@code jllm --help}. */
    String summary();

    /** The full help text, printed for {@code jllm NAME --help}. */
    String help();

    /**
     * Runs the command.
     *
     * @return the process exit status: 0 on success
     * @throws UsageException when the arguments are wrong; {@link Main} prints the message and the help
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
