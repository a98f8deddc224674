package io.jllm.engine.tokenizer;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the SentencePiece-style and byte-level BPE tokenizers share: special-token splitting, BOS/EOS,
 * decoding (llama.cpp's {@code llama_detokenize} without special-token text) and the end-of-generation set.
 */
abstract sealed class VocabularyTokenizer implements Tokenizer permits SentencePieceTokenizer, BytePairTokenizer {
    final Vocabulary vocabulary;
    private final SpecialTokenSplitter splitter;
    private final boolean cleanSpaces;

    VocabularyTokenizer(Vocabulary vocabulary, boolean cleanSpaces) {
        this.vocabulary = vocabulary;
        this.splitter = new SpecialTokenSplitter(vocabulary);
        this.cleanSpaces = cleanSpaces;
    }

    /**
     * Tokenizes one piece of plain text.
     *
     * @param afterSpecial the piece starts the input or follows a special token
     */
    abstract void encodeText(String text, boolean afterSpecial, IntArrayList out);

    /** The bytes of a NORMAL token. */
    abstract byte[] normalTokenBytes(String text);

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntArrayList out = new IntArrayList();
        if (addSpecial && vocabulary.addBos) {
            out.add(vocabulary.bos);
        }
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment fragment : splitter.split(text, parseSpecial)) {
            switch (fragment) {
                case SpecialTokenSplitter.Text(String plain) -> {
                    encodeText(plain, afterSpecial, out);
                    afterSpecial = false;
                }
                case SpecialTokenSplitter.Token(int id) -> {
                    out.add(id);
                    afterSpecial = true;
                }
            }
        }
        if (addSpecial && vocabulary.addEos) {
            out.add(vocabulary.eos);
        }
        return out.toIntArray();
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public byte[] tokenBytes(int token) {
        checkToken(token);
        int attributes = vocabulary.attributes[token];
        String text = vocabulary.texts[token];
        if ((attributes & (TokenAttributes.UNKNOWN | TokenAttributes.CONTROL)) != 0) {
            return new byte[0];
        }
        if ((attributes & TokenAttributes.USER_DEFINED) != 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if ((attributes & TokenAttributes.NORMAL) != 0) {
            return normalTokenBytes(text);
        }
        if ((attributes & TokenAttributes.BYTE) != 0) {
            return new byte[] {byteTokenValue(text)};
        }
        return new byte[0];
    }

    /**
     * Decodes like llama.cpp: one leading space is dropped from the first token when the vocabulary adds a
     * space prefix (a leading BOS consumes that rule, so the space after it stays), and BPE vocabularies
     * with {@code clean_up_tokenization_spaces} remove spaces before punctuation and contractions.
     */
    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < tokens.length; i++) {
            byte[] piece = tokenBytes(tokens[i]);
            int skip = i == 0 && vocabulary.addSpacePrefix && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            bytes.write(piece, skip, piece.length - skip);
        }
        byte[] text = cleanSpaces ? SpaceCleanup.apply(bytes.toByteArray()) : bytes.toByteArray();
        return new String(text, StandardCharsets.UTF_8);
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new Utf8StreamingDecoder(this::tokenBytes);
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return vocabulary.endOfGeneration.contains(token);
    }

    @Override
    public int bosToken() {
        return vocabulary.bos;
    }

    @Override
    public int eosToken() {
        return vocabulary.eos;
    }

    @Override
    public String tokenText(int token) {
        checkToken(token);
        return vocabulary.texts[token];
    }

    /** True for tokens that llama.cpp hides when decoding (control and unknown tokens). */
    public boolean isControl(int token) {
        checkToken(token);
        return vocabulary.has(token, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN);
    }

    private void checkToken(int token) {
        if (token < 0 || token >= vocabulary.size()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.."
                    + (vocabulary.size() - 1) + ")");
        }
    }

    /** The byte of a {@code <0xNN>} token. */
    private static byte byteTokenValue(String text) {
        if (text.length() != 6 || !text.startsWith("<0x") || text.charAt(5) != '>') {
            throw new TokenizerException("byte token '" + text + "' is not of the form <0xNN>");
        }
        return (byte) Integer.parseInt(text, 3, 5, 16);
    }
}
