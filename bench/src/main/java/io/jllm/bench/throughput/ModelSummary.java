package io.jllm.bench.throughput;

import io.jllm.gguf.GgufFile;
import io.jllm.gguf.TensorInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the report says about the model file: its name, bytes on disk and parameter count. */
record ModelSummary(String name, long fileBytes, long parameters) {

    static ModelSummary of(Path path) throws IOException {
        try (GgufFile file = GgufFile.open(path)) {
            long parameters = file.tensors().stream().mapToLong(TensorInfo::elementCount).sum();
            return new ModelSummary(path.getFileName().toString(), Files.size(path), parameters);
        }
    }
}
