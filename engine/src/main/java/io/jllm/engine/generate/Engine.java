package io.jllm.engine.generate;

import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.model.Models;
import io.jllm.engine.sampling.SamplerChain;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The front door of the library: a loaded model from which sessions and generators are made. Closing the
 * engine closes the model (and unmaps its file); sessions must not be used afterwards.
 */
public final class Engine implements AutoCloseable {

    private final LanguageModel model;

    private Engine(LanguageModel model) {
        this.model = model;
    }

    /**
     * Loads a GGUF model (see {@link Models#load(Path, ModelOptions)}).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws io.jllm.engine.model.ModelLoadException if the file cannot be run; the message says why
     */
    public static Engine load(Path path, ModelOptions options) throws IOException {
        return new Engine(Models.load(path, options));
    }

    /** Wraps a model that is already loaded; the engine takes ownership and closes it. */
    public static Engine of(LanguageModel model) {
        return new Engine(model);
    }

    public LanguageModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    /**
     * A new, empty session.
     *
     * @param contextLength the most tokens the session can hold, from 1 to the model's trained context length
     * @throws IllegalArgumentException if {@code contextLength} is out of that range
     */
    public Session newSession(int contextLength, SamplerConfig sampling) {
        if (contextLength < 1 || contextLength > model.contextLength()) {
            throw new IllegalArgumentException("context length must be between 1 and the model's trained context of "
                    + model.contextLength() + ", got " + contextLength);
        }
        return new Session(model, model.newCache(contextLength), SamplerChain.from(sampling));
    }

    /** A generator over a new session; see {@link #newSession}. */
    public Generator newGenerator(int contextLength, SamplerConfig sampling) {
        return new Generator(newSession(contextLength, sampling));
    }

    @Override
    public void close() {
        model.close();
    }
}
