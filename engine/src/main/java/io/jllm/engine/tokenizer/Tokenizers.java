package io.jllm.engine.tokenizer;

import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufMetadata;

/** Builds the tokenizer a GGUF file asks for with {@code tokenizer.ggml.model}. */
public final class Tokenizers {
    /** The supported values of {@code tokenizer.ggml.model}. */
    public static final String SUPPORTED_MODELS = "llama (SentencePiece-style), gpt2 (byte-level BPE)";

    private Tokenizers() {
    }

    /**
     * Reads the vocabulary of an open model file. The tokenizer copies what it needs, so the file may be
     * closed afterwards.
     *
     * @throws TokenizerException when the file has no tokenizer or one of an unsupported kind
     */
    public static Tokenizer fromGguf(GgufFile file) {
        return fromMetadata(file.metadata());
    }

    public static Tokenizer fromMetadata(GgufMetadata metadata) {
        String model = metadata.findString(Vocabulary.MODEL).orElseThrow(() -> new TokenizerException(
                "the model file has no tokenizer: metadata key '" + Vocabulary.MODEL + "' is missing"));
        if (!metadata.contains(Vocabulary.TOKENS)) {
            throw new TokenizerException("the model file has no vocabulary: metadata key '" + Vocabulary.TOKENS
                    + "' is missing");
        }
        return switch (model) {
            case "llama" -> SentencePieceTokenizer.fromMetadata(metadata);
            case "gpt2" -> BytePairTokenizer.fromMetadata(metadata);
            default -> throw new TokenizerException("unsupported tokenizer model '" + model + "' ("
                    + Vocabulary.MODEL + "); supported: " + SUPPORTED_MODELS);
        };
    }
}
