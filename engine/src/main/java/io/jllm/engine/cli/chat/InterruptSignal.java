package io.jllm.engine.cli.chat;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes Ctrl-C (SIGINT) to the chat instead of ending the JVM, until closed. There is no standard Java API
 * for catching a signal; {@code sun.misc.Signal} (module jdk.unsupported) is the supported-in-practice one.
 */
public final class InterruptSignal implements AutoCloseable {

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private InterruptSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /**
     * Sends each Ctrl-C to {@code input}.
     *
     * @throws IllegalArgumentException if the JVM does not let SIGINT be handled (started with -Xrs)
     */
    public static InterruptSignal routeTo(ChatInput input) {
        return new InterruptSignal(Signal.handle(INT, signal -> input.interrupt()));
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
