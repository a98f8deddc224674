package io.jllm.tools;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs tool calls for a caller that must never fail because of a tool (the decoding loop): each call runs on
 * its own virtual thread and is awaited up to a timeout; an unknown tool, over-long arguments, a
 * {@link ToolException}, any other exception or error, and a timeout all come back as a {@link ToolResult}
 * carrying a short error. A call that times out is interrupted and abandoned; the caller does not wait for it.
 */
public final class ToolRunner {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RESULT_CHARS = 1000;
    public static final int DEFAULT_MAX_ARGUMENT_CHARS = 4000;
    private static final String ELLIPSIS = "…";

    private final ToolRegistry registry;
    private final Duration timeout;
    private final int maxResultChars;
    private final int maxArgumentChars;

    public ToolRunner(ToolRegistry registry) {
        this(registry, DEFAULT_TIMEOUT, DEFAULT_MAX_RESULT_CHARS, DEFAULT_MAX_ARGUMENT_CHARS);
    }

    /**
     * @param timeout          how long a call may run before it is reported as timed out
     * @param maxResultChars   longer results (and error messages) are cut and end with {@code …}
     * @param maxArgumentChars longer argument texts are refused without calling the tool
     */
    public ToolRunner(ToolRegistry registry, Duration timeout, int maxResultChars, int maxArgumentChars) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxResultChars < 2 || maxArgumentChars < 0) {
            throw new IllegalArgumentException("maxResultChars must be at least 2 and maxArgumentChars at least 0,"
                    + " got " + maxResultChars + " and " + maxArgumentChars);
        }
        this.registry = registry;
        this.timeout = timeout;
        this.maxResultChars = maxResultChars;
        this.maxArgumentChars = maxArgumentChars;
    }

    /** Runs {@code name(arguments)}; never throws. A null argument text counts as empty. */
    public ToolResult run(String name, String arguments) {
        long start = System.nanoTime();
        String args = arguments == null ? "" : arguments;
        Optional<Tool> found = registry.find(name);
        if (found.isEmpty()) {
            return failure(name, args, start,
                    "unknown tool '" + name + "' (known: " + String.join(", ", registry.names()) + ")");
        }
        Tool tool = found.get();
        if (args.length() > maxArgumentChars) {
            return failure(name, args, start, "arguments longer than " + maxArgumentChars + " characters");
        }
        FutureTask<String> task = new FutureTask<>(() -> tool.call(args));
        Thread.ofVirtual().name("tool-" + tool.name()).start(task);
        try {
            String text = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (text == null) {
                return failure(name, args, start, tool.name() + " returned no result");
            }
            return new ToolResult(name, args, truncate(text), elapsed(start), null);
        } catch (TimeoutException e) {
            task.cancel(true);
            return failure(name, args, start, "timed out after " + format(timeout));
        } catch (ExecutionException e) {
            return failure(name, args, start, describe(tool, e.getCause()));
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return failure(name, args, start, "interrupted");
        }
    }

    private static String describe(Tool tool, Throwable cause) {
        String message = cause.getMessage();
        if (cause instanceof ToolException) {
            return message == null || message.isBlank() ? tool.name() + " failed" : message;
        }
        String what = cause.getClass().getSimpleName();
        return tool.name() + " failed: " + (message == null || message.isBlank() ? what : what + ": " + message);
    }

    private ToolResult failure(String name, String args, long start, String error) {
        return new ToolResult(name, args, "", elapsed(start), truncate(error));
    }

    private String truncate(String text) {
        if (text.length() <= maxResultChars) {
            return text;
        }
        int end = maxResultChars - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String format(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
