package io.jllm.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufMetadata;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.MetadataValue;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the vocabulary metadata: speed at Gemma 3's size, defaults, and errors for bad files. */
class VocabularyLoadingTest {
    private static final int GEMMA3_VOCABULARY = 262_144;

    /**
     * Gemma 3 has 262,144 tokens. Building the tokenizer from parsed metadata took about 0.2 s on a busy
     * 2-core machine (best of three); the bound leaves room for that noise and is still under a second.
     */
    @Test
    void aGemma3SizedVocabularyLoadsWellUnderASecond() {
        GgufFile file = GgufFile.of(MemorySegment.ofArray(syntheticSentencePieceFile(GEMMA3_VOCABULARY)));
        long best = Long.MAX_VALUE;
        Tokenizer tokenizer = null;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            tokenizer = Tokenizers.fromGguf(file);
            best = Math.min(best, System.nanoTime() - start);
        }
        assertThat(tokenizer.vocabularySize()).isEqualTo(GEMMA3_VOCABULARY);
        assertThat(tokenizer.tokenText(100_000)).isEqualTo("piece100000");
        assertThat(tokenizer.encode("<s>", false, true)).containsExactly(1);
        assertThat(best / 1e6).as("best load time in ms").isLessThan(750);
    }

    @Test
    void addSpacePrefixDefaultsToTrueForSentencePieceAndCanBeTurnedOff() {
        Map<String, MetadataValue> kv = tinySentencePiece();
        assertThat(Tokenizers.fromMetadata(new GgufMetadata(kv)).encode("ab", false, false))
                .containsExactly(id("\u2581ab"));
        kv.put("tokenizer.ggml.add_space_prefix", MetadataValue.of(GgufValueType.BOOL, false));
        assertThat(Tokenizers.fromMetadata(new GgufMetadata(kv)).encode("ab", false, false))
                .containsExactly(id("ab"));
    }

    @Test
    void aFileWithoutTokenizerMetadataIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> Tokenizers.fromMetadata(new GgufMetadata(Map.of())))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("no tokenizer")
                .hasMessageContaining("'tokenizer.ggml.model'");
        Map<String, MetadataValue> kv = tinySentencePiece();
        kv.remove("tokenizer.ggml.tokens");
        assertThatThrownBy(() -> Tokenizers.fromMetadata(new GgufMetadata(kv)))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'tokenizer.ggml.tokens'");
    }

    @Test
    void anUnsupportedModelIsNamedAndTheSupportedOnesListed() {
        Map<String, MetadataValue> kv = tinySentencePiece();
        kv.put("tokenizer.ggml.model", MetadataValue.of(GgufValueType.STRING, "bert"));
        assertThatThrownBy(() -> Tokenizers.fromMetadata(new GgufMetadata(kv)))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'bert'")
                .hasMessageContaining("llama")
                .hasMessageContaining("gpt2");
    }

    @Test
    void byteLevelBpeWithoutMergesIsRejected() {
        Map<String, MetadataValue> kv = tinySentencePiece();
        kv.put("tokenizer.ggml.model", MetadataValue.of(GgufValueType.STRING, "gpt2"));
        kv.put("tokenizer.ggml.pre", MetadataValue.of(GgufValueType.STRING, "gpt-2"));
        assertThatThrownBy(() -> Tokenizers.fromMetadata(new GgufMetadata(kv)))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'tokenizer.ggml.merges'");
    }

    @Test
    void scoresShorterThanTheTokenListAreRejected() {
        Map<String, MetadataValue> kv = tinySentencePiece();
        kv.put("tokenizer.ggml.scores", array(GgufValueType.FLOAT32, new float[] {0f}));
        assertThatThrownBy(() -> Tokenizers.fromMetadata(new GgufMetadata(kv)))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'tokenizer.ggml.scores' has 1 entries");
    }

    @Test
    void duplicateTokensAreRejectedNamingBothIds() {
        Map<String, MetadataValue> kv = tinySentencePiece();
        String[] tokens = TINY_TOKENS.clone();
        tokens[4] = "a";
        kv.put("tokenizer.ggml.tokens", array(GgufValueType.STRING, tokens));
        assertThatThrownBy(() -> Tokenizers.fromMetadata(new GgufMetadata(kv)))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'a' has ids 3 and 4");
    }

    private static final String[] TINY_TOKENS = {"<unk>", "<s>", "</s>", "a", "b", "\u2581", "ab", "\u2581ab"};

    private static int id(String text) {
        return java.util.Arrays.asList(TINY_TOKENS).indexOf(text);
    }

    private static Map<String, MetadataValue> tinySentencePiece() {
        Map<String, MetadataValue> kv = new LinkedHashMap<>();
        kv.put("tokenizer.ggml.model", MetadataValue.of(GgufValueType.STRING, "llama"));
        kv.put("tokenizer.ggml.tokens", array(GgufValueType.STRING, TINY_TOKENS));
        kv.put("tokenizer.ggml.scores", array(GgufValueType.FLOAT32, new float[] {0, 0, 0, -1, -2, -3, -4, -5}));
        kv.put("tokenizer.ggml.token_type", array(GgufValueType.INT32, new long[] {2, 3, 3, 1, 1, 1, 1, 1}));
        return kv;
    }

    private static MetadataValue array(GgufValueType elementType, Object elements) {
        return MetadataValue.of(GgufValueType.ARRAY, new io.jllm.gguf.GgufArray(elementType, elements));
    }

    /** A vocabulary-only GGUF v3 image: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, 256 byte tokens, then "pieceN". */
    private static byte[] syntheticSentencePieceFile(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 24);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        writeInt(out, b, 0x46554747);
        writeInt(out, b, 3);
        writeLong(out, b, 0);
        writeLong(out, b, 4);
        writeString(out, b, "tokenizer.ggml.model");
        writeInt(out, b, 8);
        writeString(out, b, "llama");
        writeString(out, b, "tokenizer.ggml.tokens");
        writeInt(out, b, 9);
        writeInt(out, b, 8);
        writeLong(out, b, n);
        for (int i = 0; i < n; i++) {
            writeString(out, b, i < 3 ? new String[] {"<unk>", "<s>", "</s>"}[i]
                    : i < 259 ? String.format("<0x%02X>", i - 3) : "piece" + i);
        }
        writeString(out, b, "tokenizer.ggml.scores");
        writeInt(out, b, 9);
        writeInt(out, b, 6);
        writeLong(out, b, n);
        for (int i = 0; i < n; i++) {
            b.clear();
            out.write(b.putFloat(-i).array(), 0, 4);
        }
        writeString(out, b, "tokenizer.ggml.token_type");
        writeInt(out, b, 9);
        writeInt(out, b, 5);
        writeLong(out, b, n);
        for (int i = 0; i < n; i++) {
            writeInt(out, b, i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1);
        }
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, ByteBuffer b, int v) {
        b.clear();
        out.write(b.putInt(v).array(), 0, 4);
    }

    private static void writeLong(ByteArrayOutputStream out, ByteBuffer b, long v) {
        b.clear();
        out.write(b.putLong(v).array(), 0, 8);
    }

    private static void writeString(ByteArrayOutputStream out, ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLong(out, b, bytes.length);
        out.writeBytes(bytes);
    }
}
