package io.jllm.tools;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tools a model may call, looked up by name ignoring case ({@code calculator} finds {@code Calculator}).
 * Closing the registry closes the tools that hold resources (a search index).
 */
public final class ToolRegistry implements Closeable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    /**
     * Adds a tool.
     *
     * @throws IllegalArgumentException when the name is not a plain word or another tool already has it
     */
    public synchronized ToolRegistry register(Tool tool) {
        String name = tool.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name
                    + "' must be a letter followed by letters, digits or '_'");
        }
        Tool previous = tools.putIfAbsent(key(name), tool);
        if (previous != null) {
            throw new IllegalArgumentException("a tool named '" + previous.name() + "' is already registered");
        }
        return this;
    }

    /** The tool with this name, ignoring case. */
    public synchronized Optional<Tool> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(tools.get(key(name)));
    }

    /** The registered tools in registration order. */
    public synchronized List<Tool> tools() {
        return List.copyOf(tools.values());
    }

    /** The registered names in registration order, as the tools spell them. */
    public synchronized List<String> names() {
        return tools.values().stream().map(Tool::name).toList();
    }

    /** Closes every tool that is {@link Closeable}; the first failure is thrown after all were tried. */
    @Override
    public synchronized void close() throws IOException {
        List<IOException> failures = new ArrayList<>();
        for (Tool tool : tools.values()) {
            if (tool instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            IOException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
