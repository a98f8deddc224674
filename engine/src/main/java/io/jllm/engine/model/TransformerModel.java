package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.engine.tokenizer.Tokenizers;
import io.jllm.gguf.GgufFile;

/** A {@link LanguageModel} over a mapped GGUF file, running the shared {@link Transformer}. */
final class TransformerModel implements LanguageModel {
    private final GgufFile file;
    private final ModelConfig config;
    private final ArchSpec spec;
    private final RangeExecutor executor;
    private final Transformer transformer;
    private volatile Tokenizer tokenizer;

    TransformerModel(GgufFile file, ModelConfig config, ArchSpec spec, ModelWeights weights, RangeExecutor executor,
                     int batchSize) {
        this.file = file;
        this.config = config;
        this.spec = spec;
        this.executor = executor;
        this.transformer = new Transformer(config, spec, weights, executor, batchSize);
    }

    ModelConfig config() {
        return config;
    }

    ArchSpec spec() {
        return spec;
    }

    @Override
    public int vocabularySize() {
        return config.vocabSize();
    }

    @Override
    public int contextLength() {
        return config.contextLength();
    }

    /** Read from the file's vocabulary on first use, so a file without one still evaluates token ids. */
    @Override
    public Tokenizer tokenizer() {
        Tokenizer t = tokenizer;
        if (t == null) {
            synchronized (this) {
                if (tokenizer == null) {
                    tokenizer = Tokenizers.fromGguf(file);
                }
                t = tokenizer;
            }
        }
        return t;
    }

    @Override
    public KvCache newCache(int capacity) {
        return transformer.newCache(capacity);
    }

    @Override
    public float[][] forward(int[] tokens, KvCache cache, boolean allLogits) {
        return transformer.forward(tokens, cache, allLogits);
    }

    @Override
    public void forward(int[] tokens, KvCache cache, float[] lastLogits) {
        transformer.forward(tokens, cache, new float[][] {lastLogits});
    }

    @Override
    public void close() {
        executor.close();
        file.close();
    }
}
