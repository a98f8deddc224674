package io.jllm.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real GGUF models the {@code models}-tagged tests run, as {@code scripts/fetch-models} places them: in
 * {@code $JLLM_MODELS_DIR}, by default {@code ~/.cache/jllm/models}. A missing model fails the test that
 * asked for it, naming the script to run; it is never skipped.
 */
public final class RealModels {
    /** SmolLM2 135M Instruct, llama architecture, gpt2 (BPE) tokenizer, Q4_1. */
    public static final String SMOLLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf";
    /** The base Gemma 3 270M, gemma3 architecture, 262k SentencePiece vocabulary, Q4_K_M. */
    public static final String GEMMA3 = "gemma-3-270m-q4_k_m.gguf";

    private RealModels() {
    }

    public static List<String> names() {
        return List.of(SMOLLM2, GEMMA3);
    }

    public static Path directory() {
        String env = System.getenv("JLLM_MODELS_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "jllm", "models");
    }

    /** The model file {@code name}; fails with what to do when it is not there. */
    public static Path path(String name) {
        Path file = directory().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("real model " + name + " not found in " + directory()
                    + ": run scripts/fetch-models (or point JLLM_MODELS_DIR at the folder holding it)");
        }
        return file;
    }
}
