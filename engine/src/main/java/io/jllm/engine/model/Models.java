package io.jllm.engine.model;

import io.jllm.engine.model.arch.Architecture;
import io.jllm.engine.model.arch.Architectures;
import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads GGUF models. */
public final class Models {
    private Models() {
    }

    /**
     * Maps {@code path}, reads its hyperparameters and checks every tensor it needs. The weights stay mapped;
     * those repacked for integer products are read back from {@link ModelOptions#repackCache()} when it holds
     * them for this file, else repacked and written there.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws ModelLoadException  if the file's architecture, hyperparameters, tensor shapes or tensor types
     *                             cannot be run (the message names the file and the offending value)
     */
    public static LanguageModel load(Path path, ModelOptions options) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "model file not found");
        }
        GgufFile file;
        try {
            file = GgufFile.open(path);
        } catch (GgufFormatException e) {
            throw new ModelLoadException(path + ": " + e.getMessage(), e);
        }
        RangeExecutor executor = options.executor().create(options.threads());
        try {
            Architecture arch = Architectures.forName(file.architecture());
            RepackedWeights repacked = RepackedWeights.of(options.repackCache(), path, file.dataOffset(), executor);
            TensorMapper tensors = new TensorMapper(file, repacked);
            ModelConfig config = arch.readConfig(file.metadata(), tensors.rows("token_embd.weight"));
            ArchSpec spec = arch.spec(config, tensors);
            ModelWeights weights = WeightMapper.map(tensors, config, spec);
            repacked.finish();
            return new TransformerModel(file, config, spec, weights, executor, options.batchSize());
        } catch (RuntimeException e) {
            executor.close();
            file.close();
            throw new ModelLoadException(path + ": " + e.getMessage(), e);
        }
    }

    public static LanguageModel load(Path path) throws IOException {
        return load(path, ModelOptions.defaults());
    }
}
