package io.jllm.engine.model.arch;

import java.util.List;
import java.util.stream.Collectors;

/** The architectures jllm can run. */
public final class Architectures {
    private static final List<Architecture> ALL = List.of(new Llama(), new Qwen2(), new Qwen3(), new Gemma3());

    private Architectures() {
    }

    /** The architecture named {@code name}; the error names it and lists the supported ones. */
    public static Architecture forName(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnsupportedOperationException("unsupported architecture '" + name
                        + "'; jllm runs: " + ALL.stream().map(Architecture::name).collect(Collectors.joining(", "))));
    }
}
