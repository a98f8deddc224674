package io.jllm.engine.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's options, parsed against a declaration: {@code -n 5}, {@code --temp 0.7},
 * {@code --temp=0.7}, and switches without a value. Every mistake (an unknown option, a missing or
 * malformed value, an option given twice, a stray argument) is a {@link UsageException} naming the option.
 *
 * <pre>{@code
 * Args args = Args.declare().value("-n", "--n-predict").flag("--verbose").parse(list);
 * int n = args.integer("-n", 128);
 * }</pre>
 */
public final class Args {

    private final Map<String, String> values;
    private final Declaration declaration;

    private Args(Declaration declaration, Map<String, String> values) {
        this.declaration = declaration;
        this.values = values;
    }

    /** Starts declaring the options a command accepts. */
    public static Declaration declare() {
        return new Declaration();
    }

    /** The options a command accepts; each has one or more names, the first being how errors call it. */
    public static final class Declaration {
        private final Map<String, String> canonical = new HashMap<>();
        private final Map<String, Boolean> takesValue = new HashMap<>();
        private final Map<String, List<String>> names = new HashMap<>();

        private Declaration() {
        }

        /** An option followed by a value. */
        public Declaration value(String... names) {
            return add(names, true);
        }

        /** A switch, present or absent. */
        public Declaration flag(String... names) {
            return add(names, false);
        }

        private Declaration add(String[] names, boolean value) {
            for (String name : names) {
                if (canonical.putIfAbsent(name, names[0]) != null) {
                    throw new IllegalArgumentException("option " + name + " declared twice");
                }
            }
            takesValue.put(names[0], value);
            this.names.put(names[0], List.of(names));
            return this;
        }

        public Args parse(List<String> args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
                String name = equals > 0 ? arg.substring(0, equals) : arg;
                String option = canonical.get(name);
                if (option == null) {
                    throw new UsageException(arg.startsWith("-") ? "unknown option " + name
                            : "unexpected argument '" + arg + "'");
                }
                String value;
                if (!takesValue.get(option)) {
                    if (equals > 0) {
                        throw new UsageException("option " + name + " takes no value");
                    }
                    value = "";
                } else if (equals > 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("option " + name + " needs a value");
                }
                if (values.putIfAbsent(option, value) != null) {
                    throw new UsageException("option " + name + " given twice");
                }
            }
            return new Args(this, values);
        }

        private String canonical(String name) {
            String option = canonical.get(name);
            if (option == null) {
                throw new IllegalArgumentException("option " + name + " was never declared");
            }
            return option;
        }
    }

    public boolean has(String name) {
        return values.containsKey(declaration.canonical(name));
    }

    /** The option's value; it must be given. */
    public String string(String name) {
        String value = values.get(declaration.canonical(name));
        if (value == null) {
            throw new UsageException("missing required option "
                    + String.join("/", declaration.names.get(declaration.canonical(name))));
        }
        return value;
    }

    public String string(String name, String fallback) {
        return has(name) ? string(name) : fallback;
    }

    public int integer(String name, int fallback) {
        if (!has(name)) {
            return fallback;
        }
        try {
            return Integer.parseInt(string(name));
        } catch (NumberFormatException e) {
            throw malformed(name, "an integer");
        }
    }

    public long longInteger(String name, long fallback) {
        if (!has(name)) {
            return fallback;
        }
        try {
            return Long.parseLong(string(name));
        } catch (NumberFormatException e) {
            throw malformed(name, "an integer");
        }
    }

    /** A finite decimal number. */
    public float decimal(String name, float fallback) {
        if (!has(name)) {
            return fallback;
        }
        try {
            float value = Float.parseFloat(string(name));
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, like infinities and NaN
        }
        throw malformed(name, "a number");
    }

    private UsageException malformed(String name, String what) {
        return new UsageException("option " + declaration.canonical(name) + " expects " + what + ", got '"
                + string(name) + "'");
    }
}
