package io.jllm.engine.tokenizer;

/**
 * Text to token ids and back, as the model's GGUF vocabulary defines it. Implementations are chosen by
 * {@code tokenizer.ggml.model} ({@code llama}: SentencePiece-style; {@code gpt2}: byte-level BPE).
 */
public interface Tokenizer {

    /** Number of tokens in the vocabulary. */
    int vocabularySize();

    /**
     * Encodes text.
     *
     * @param addSpecial   add BOS/EOS as the vocabulary's {@code add_bos_token}/{@code add_eos_token} ask
     * @param parseSpecial recognise the text of special/control tokens (for example {@code <|im_start|>}) in
     *                     {@code text} and emit their ids; when false such text is tokenized as plain text
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The bytes a token stands for in decoded text (empty for control tokens, raw byte for byte tokens). */
    byte[] tokenBytes(int token);

    /** Decodes a whole sequence to text (malformed UTF-8 becomes U+FFFD). */
    String decode(int[] tokens);

    /** A decoder for streaming output that never emits half a UTF-8 character. */
    StreamingDecoder streamingDecoder();

    /** True for tokens that end a generation (EOS, EOT and the like). */
    boolean isEndOfGeneration(int token);

    /** The beginning-of-sequence token, or -1. */
    int bosToken();

    /** The end-of-sequence token, or -1. */
    int eosToken();

    /** The token's text as stored in the vocabulary (for debugging and special-token lookup). */
    String tokenText(int token);
}
