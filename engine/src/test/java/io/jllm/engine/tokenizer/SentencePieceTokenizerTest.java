package io.jllm.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jllm.engine.json.Json;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny models' 512-token SentencePiece vocabulary (byte b is token 3 + b, BOS 1, EOS 2) against
 * llama.cpp's {@code llama-tokenize} output in tiny/tokenizer-golden.json.
 */
class SentencePieceTokenizerTest {
    private static final int BOS = 1;
    private static final int EOS = 2;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        try (GgufFile file = GgufFile.open(SharedTestData.tiny("llama-f32.gguf"))) {
            tokenizer = Tokenizers.fromGguf(file);
        }
    }

    @Test
    void encodesEveryGoldenSampleLikeLlamaTokenize() throws IOException {
        Map<String, Object> golden = Json.parseObject(Files.readString(SharedTestData.tiny("tokenizer-golden.json")));
        assertThat(golden).hasSizeGreaterThanOrEqualTo(14);
        golden.forEach((text, ids) -> assertThat(tokenizer.encode(text, true, true))
                .as("'%s'", text)
                .containsExactly(((List<?>) ids).stream().mapToInt(id -> ((Number) id).intValue()).toArray()));
    }

    @Test
    void decodingTheGoldenIdsWithoutBosGivesTheTextBack() throws IOException {
        Map<String, Object> golden = Json.parseObject(Files.readString(SharedTestData.tiny("tokenizer-golden.json")));
        golden.forEach((text, ids) -> {
            int[] tokens = ((List<?>) ids).stream().mapToInt(id -> ((Number) id).intValue()).toArray();
            assertThat(tokens[0]).isEqualTo(BOS);
            assertThat(tokenizer.decode(Arrays.copyOfRange(tokens, 1, tokens.length))).isEqualTo(text);
        });
    }

    @Test
    void aLeadingBosKeepsTheSpacePrefixInDecodedTextAsLlamaCppDoes() {
        assertThat(tokenizer.decode(tokenizer.encode("Hello", true, false))).isEqualTo(" Hello");
        assertThat(tokenizer.decode(tokenizer.encode("Hello", false, false))).isEqualTo("Hello");
    }

    @Test
    void emptyTextIsJustBosWithSpecialTokensAndNothingWithout() {
        assertThat(tokenizer.encode("", true, true)).containsExactly(BOS);
        assertThat(tokenizer.encode("", false, true)).isEmpty();
    }

    @Test
    void charactersWithoutAPieceFallBackToTheirUtf8ByteTokens() {
        int[] ids = tokenizer.encode("\u4F60", false, false);
        assertThat(ids).containsExactly(
                tokenizer.encode(" ", false, false)[0], 3 + 0xE4, 3 + 0xBD, 3 + 0xA0);
        assertThat(tokenizer.tokenText(3 + 0xE4)).isEqualTo("<0xE4>");
        assertThat(tokenizer.tokenBytes(3 + 0xE4)).containsExactly((byte) 0xE4);
    }

    @Test
    void streamingDecoderHoldsBackBytesUntilTheCharacterIsComplete() {
        int[] ids = tokenizer.encode("\u4F60\u597D\uD83E\uDD99!", false, false);
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        List<String> emitted = IntStream.of(ids).mapToObj(decoder::next).toList();
        // "▁" piece, 3 bytes of 你, 3 bytes of 好, 4 bytes of 🦙, "!"
        assertThat(emitted).containsExactly(" ", "", "", "\u4F60", "", "", "\u597D", "", "", "", "\uD83E\uDD99", "!");
        assertThat(decoder.flush()).isEmpty();
    }

    @Test
    void streamingDecoderFlushesAnUnfinishedCharacterAsReplacement() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertThat(decoder.next(3 + 0xF0)).isEmpty();
        assertThat(decoder.next(3 + 0x9F)).isEmpty();
        assertThat(decoder.flush()).isEqualTo("\uFFFD");
        assertThat(decoder.next(3 + (int) 'a')).isEqualTo("a");
    }

    @Test
    void controlTokensDecodeToNothing() {
        assertThat(tokenizer.tokenBytes(BOS)).isEmpty();
        assertThat(tokenizer.decode(new int[] {BOS, EOS})).isEmpty();
        assertThat(tokenizer.tokenText(EOS)).isEqualTo("</s>");
    }

    @Test
    void parseSpecialTurnsControlTokenTextIntoTheTokenAndRestartsTheSpacePrefix() {
        int[] a = tokenizer.encode("a", false, false);
        int[] b = tokenizer.encode("b", false, false);
        assertThat(tokenizer.encode("a</s>b", false, true)).containsExactly(concat(a, new int[] {EOS}, b));
    }

    @Test
    void withoutParseSpecialControlTokenTextIsPlainText() {
        int[] ids = tokenizer.encode("a</s>b", false, false);
        assertThat(ids).doesNotContain(EOS);
        assertThat(tokenizer.decode(ids)).isEqualTo("a</s>b");
    }

    @Test
    void specialIdsAndEndOfGenerationComeFromTheMetadata() {
        assertThat(tokenizer.vocabularySize()).isEqualTo(512);
        assertThat(tokenizer.bosToken()).isEqualTo(BOS);
        assertThat(tokenizer.eosToken()).isEqualTo(EOS);
        assertThat(tokenizer.isEndOfGeneration(EOS)).isTrue();
        assertThat(tokenizer.isEndOfGeneration(BOS)).isFalse();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }
}
