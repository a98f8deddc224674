package io.jllm.engine.tokenizer;

import io.jllm.gguf.GgufMetadata;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style tokenizer ({@code tokenizer.ggml.model = "llama"}), llama.cpp's {@code llm_tokenizer_spm}:
 * spaces become {@code ▁}, a {@code ▁} is put in front of the text (and after every special token) when
 * {@code add_space_prefix} is true (the default), then adjacent pieces are merged, highest vocabulary score
 * first (leftmost on ties), for as long as the merged text is a token. Characters left without a token fall
 * back to their UTF-8 bytes as {@code <0xNN>} tokens.
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer {
    private static final char SPACE_MARK = '\u2581';
    /** Upper-case, as in {@code <0x0A>}; built by hand because a Formatter per byte slows every model load. */
    private static final String HEX_DIGITS = "0123456789ABCDEF";
    private static final Vocabulary.Defaults DEFAULTS = new Vocabulary.Defaults(1, 2, 0, true, true);

    private final int[] byteTokens = new int[256];

    private SentencePieceTokenizer(Vocabulary vocabulary) {
        super(vocabulary, false);
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = byteToken(b);
        }
    }

    static SentencePieceTokenizer fromMetadata(GgufMetadata metadata) {
        return new SentencePieceTokenizer(Vocabulary.read(metadata, DEFAULTS));
    }

    /** {@code <0xNN>}, else the byte as a one-character token, else the unknown token, else -1. */
    private int byteToken(int b) {
        int id = vocabulary.id("<0x" + HEX_DIGITS.charAt(b >> 4) + HEX_DIGITS.charAt(b & 15) + ">");
        if (id < 0 && b < 0x80) {
            id = vocabulary.id(String.valueOf((char) b));
        }
        return id >= 0 ? id : vocabulary.unknown;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntArrayList out) {
        String prefixed = vocabulary.addSpacePrefix && afterSpecial ? " " + text : text;
        new Session(prefixed.replace(' ', SPACE_MARK)).tokenize(out);
    }

    @Override
    byte[] normalTokenBytes(String text) {
        return text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    /** A candidate merge of two adjacent symbols; {@code size} detects symbols changed since it was queued. */
    private record Bigram(int left, int right, float score, int size) {
    }

    /** One text's symbols (code point runs kept as a doubly linked list) and its queue of candidate merges. */
    private final class Session {
        private final String text;
        private final int[] start;
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score() != b.score()
                ? Float.compare(b.score(), a.score()) : Integer.compare(a.left(), b.left()));

        Session(String text) {
            this.text = text;
            int n = text.codePointCount(0, text.length());
            start = new int[n];
            length = new int[n];
            prev = new int[n];
            next = new int[n];
            for (int i = 0, offset = 0; i < n; i++) {
                int chars = Character.charCount(text.codePointAt(offset));
                start[i] = offset;
                length[i] = chars;
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
                offset += chars;
            }
        }

        void tokenize(IntArrayList out) {
            if (start.length == 0) {
                return;
            }
            for (int i = 1; i < start.length; i++) {
                tryAddBigram(i - 1, i);
            }
            while (!queue.isEmpty()) {
                Bigram bigram = queue.poll();
                int left = bigram.left();
                int right = bigram.right();
                if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.size()) {
                    continue;
                }
                length[left] += length[right];
                length[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                tryAddBigram(prev[left], left);
                tryAddBigram(left, next[left]);
            }
            for (int i = 0; i != -1; i = next[i]) {
                emit(text.substring(start[i], start[i] + length[i]), out);
            }
        }

        private void tryAddBigram(int left, int right) {
            if (left < 0 || right < 0) {
                return;
            }
            int size = length[left] + length[right];
            int token = vocabulary.id(text.substring(start[left], start[left] + size));
            if (token >= 0) {
                queue.add(new Bigram(left, right, vocabulary.scores[token], size));
            }
        }

        /** Merged symbols are always tokens; a single character without one falls back to its bytes. */
        private void emit(String symbol, IntArrayList out) {
            int token = vocabulary.id(symbol);
            if (token >= 0) {
                out.add(token);
                return;
            }
            for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                int id = byteTokens[b & 0xFF];
                if (id < 0) {
                    throw new TokenizerException("vocabulary has neither a byte token <0x"
                            + String.format("%02X", b & 0xFF) + "> nor an unknown token for '" + symbol + "'");
                }
                out.add(id);
            }
        }
    }
}
