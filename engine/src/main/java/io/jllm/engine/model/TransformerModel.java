package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.gguf.GgufFile;

/** A {@link LanguageModel} over a mapped GGUF file, running the shared {@link Transformer}. */
final class TransformerModel implements LanguageModel {
    private final GgufFile file;
    private final ModelConfig config;
    private final ArchSpec spec;
    private final RangeExecutor executor;
    private final Transformer transformer;

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

    @Override
    public Tokenizer tokenizer() {
        throw new UnsupportedOperationException("no tokenizer is available for " + file.path().map(Object::toString)
                .orElse("this model") + ": the model evaluates token ids only");
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
    public void close() {
        executor.close();
        file.close();
    }
}
