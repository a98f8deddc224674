package io.jllm.engine.tokenizer;

import io.jllm.gguf.GgufMetadata;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = "gpt2"}), llama.cpp's {@code llm_tokenizer_bpe}: the
 * pre-tokenizer splits the text into words, each word's UTF-8 bytes are written with GPT-2's byte
 * characters, then adjacent symbols are merged, lowest merge rank first (leftmost on ties). Results are
 * cached per word, since the same words recur.
 */
public final class BytePairTokenizer extends VocabularyTokenizer {
    private static final int CACHE_LIMIT = 1 << 16;

    private final PreTokenizer preTokenizer;
    /** Rank of each merge, keyed by its GGUF text "left right" (byte-level symbols never hold a space). */
    private final Object2IntOpenHashMap<String> mergeRanks;
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    private BytePairTokenizer(Vocabulary vocabulary, PreTokenizer preTokenizer, String[] merges) {
        super(vocabulary, preTokenizer.cleanSpaces);
        this.preTokenizer = preTokenizer;
        this.mergeRanks = new Object2IntOpenHashMap<>(merges.length);
        mergeRanks.defaultReturnValue(-1);
        for (int rank = 0; rank < merges.length; rank++) {
            if (merges[rank].indexOf(' ', 1) > 0) {
                mergeRanks.putIfAbsent(merges[rank], rank);
            }
        }
    }

    static BytePairTokenizer fromMetadata(GgufMetadata metadata) {
        String pre = metadata.findString(Vocabulary.PRE).filter(s -> !s.isEmpty()).orElse("default");
        PreTokenizer preTokenizer = PreTokenizer.forName(pre);
        if (!metadata.contains(Vocabulary.MERGES)) {
            throw new TokenizerException("byte-level BPE vocabulary without merges: metadata key '"
                    + Vocabulary.MERGES + "' is missing");
        }
        String[] merges = metadata.getStringArray(Vocabulary.MERGES);
        Vocabulary vocabulary = Vocabulary.read(metadata,
                new Vocabulary.Defaults(11, 11, -1, preTokenizer.addBos, false));
        return new BytePairTokenizer(vocabulary, preTokenizer, merges);
    }

    /** The {@code tokenizer.ggml.pre} value in use. */
    public String preTokenizerName() {
        return preTokenizer.name;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntArrayList out) {
        for (String word : preTokenizer.split(text)) {
            String symbols = ByteUnicode.encode(word.getBytes(StandardCharsets.UTF_8));
            int[] ids = wordCache.get(symbols);
            if (ids == null) {
                ids = encodeWord(symbols);
                if (wordCache.size() >= CACHE_LIMIT) {
                    wordCache.clear();
                }
                wordCache.put(symbols, ids);
            }
            out.addElements(out.size(), ids);
        }
    }

    /** Decodes GPT-2 byte characters; llama.cpp writes any other character as a visible marker. */
    @Override
    byte[] normalTokenBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        text.codePoints().forEach(cp -> {
            int b = ByteUnicode.decode(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder marker = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                    marker.append(String.format("%02x", u & 0xFF));
                }
                out.writeBytes(marker.append(text).append(']').toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    private record Bigram(int left, int right, int rank, int size) {
    }

    /** BPE over one word whose characters are GPT-2 byte characters (one {@code char} per byte). */
    private int[] encodeWord(String word) {
        IntArrayList out = new IntArrayList();
        if (preTokenizer.ignoreMerges) {
            int whole = vocabulary.id(word);
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int n = word.length();
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            length[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.rank() != b.rank()
                ? Integer.compare(a.rank(), b.rank()) : Integer.compare(a.left(), b.left()));
        for (int i = 1; i < n; i++) {
            addBigram(word, i - 1, i, length, queue);
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
            addBigram(word, prev[left], left, length, queue);
            addBigram(word, left, next[left], length, queue);
        }
        for (int i = 0; i != -1 && n > 0; i = next[i]) {
            emit(word.substring(i, i + length[i]), out);
        }
        return out.toIntArray();
    }

    private void addBigram(String word, int left, int right, int[] length, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        String key = word.substring(left, left + length[left]) + ' ' + word.substring(right, right + length[right]);
        int rank = mergeRanks.getInt(key);
        if (rank >= 0) {
            queue.add(new Bigram(left, right, rank, length[left] + length[right]));
        }
    }

    /**
     * A symbol that is not a token is written byte by byte, each byte looked up as a one-character token;
     * like llama.cpp, bytes without such a token are dropped.
     */
    private void emit(String symbol, IntArrayList out) {
        int token = vocabulary.id(symbol);
        if (token >= 0) {
            out.add(token);
            return;
        }
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
            int id = b >= 0 ? vocabulary.id(String.valueOf((char) b)) : -1;
            if (id >= 0) {
                out.add(id);
            }
        }
    }
}
