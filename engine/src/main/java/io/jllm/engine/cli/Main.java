package io.jllm.engine.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The {@code jllm} entry point: dispatches to a {@link Command}. The only class allowed to exit the JVM.
 * Started without the Vector API module (plain {@code java -jar jllm.jar}), it relaunches itself with it and
 * the rest of {@link JvmOptions}.
 */
public final class Main {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            System.exit(relaunchWithVectorModule(args));
        }
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs one command line and returns its exit status; used by tests, never exits. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<Command> commands = commands();
        boolean verbose = args.contains("--verbose");
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")
                || args.getFirst().equals("help")) {
            out.print(overview(commands));
            return args.isEmpty() ? 2 : 0;
        }
        String name = args.getFirst();
        Optional<Command> command = commands.stream().filter(c -> c.name().equals(name)).findFirst();
        if (command.isEmpty()) {
            err.println("jllm: unknown command '" + name + "'");
            err.print(overview(commands));
            return 2;
        }
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.get().help());
            return 0;
        }
        rest.remove("--verbose");
        try {
            return command.get().run(rest, out, err);
        } catch (UsageException e) {
            err.println("jllm " + name + ": " + e.getMessage());
            err.println("Run 'jllm " + name + " --help' for usage.");
            return 2;
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            err.println("jllm " + name + ": " + describe(e));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the stack trace)");
            }
            return 1;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        ServiceLoader.load(Command.class).forEach(commands::add);
        commands.sort(Comparator.comparing(Command::name));
        return commands;
    }

    private static String overview(List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("jllm - pure-Java inference for GGUF language models\n\n");
        sb.append("usage: jllm COMMAND [OPTIONS]   (jllm COMMAND --help for details)\n\ncommands:\n");
        for (Command c : commands) {
            sb.append(String.format("  %-12s %s%n", c.name(), c.summary()));
        }
        sb.append("\ncommon options:\n  --verbose    print stack traces on errors\n");
        return sb.toString();
    }

    /** Relaunches with jllm's {@link JvmOptions}, then the caller's own, which win where they overlap. */
    private static int relaunchWithVectorModule(String[] args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Main.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JvmOptions.load());
        command.addAll(ProcessHandle.current().info().arguments().map(a -> jvmOptions(a)).orElse(List.of()));
        command.addAll(List.of("-cp", jar, Main.class.getName()));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** The JVM options (-X..., -D...) of the current process, to carry into the relaunched one. */
    private static List<String> jvmOptions(String[] arguments) {
        List<String> options = new ArrayList<>();
        for (String a : arguments) {
            if (a.equals("-jar") || a.equals("-cp") || a.equals("-classpath") || !a.startsWith("-")) {
                break;
            }
            options.add(a);
        }
        return options;
    }
}
