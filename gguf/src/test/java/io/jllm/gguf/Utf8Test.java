package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The UTF-8 check must accept exactly what the JDK's reporting UTF-8 decoder accepts. */
class Utf8Test {
    private final CharBuffer chars = CharBuffer.allocate(64);
    private final List<String> disagreements = new ArrayList<>();
    private final CharsetDecoder jdkDecoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    @Test
    void agreesWithTheJdkDecoderOnEveryShortSequenceAroundTheBoundaries() {
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        byte[] bytes = new byte[4];
        for (int length = 1; length <= 4; length++) {
            int combinations = (int) Math.pow(interesting.length, length);
            for (int c = 0; c < combinations; c++) {
                int rest = c;
                for (int k = 0; k < length; k++) {
                    bytes[k] = (byte) interesting[rest % interesting.length];
                    rest /= interesting.length;
                }
                compare(bytes, length);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomTextWithFewErrors() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 20_000; trial++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80)
                        : random.nextInt(2) == 0 ? 0x80 + random.nextInt(0xD800 - 0x80)
                        : 0xE000 + random.nextInt(0x110000 - 0xE000));
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            compare(bytes, bytes.length);
        }
        assertThat(disagreements).isEmpty();
    }

    /** Notes the bytes (and what the JDK says of them) when the two disagree. */
    private void compare(byte[] bytes, int length) {
        CoderResult result = jdkDecoder.reset().decode(ByteBuffer.wrap(bytes, 0, length), chars, true);
        chars.clear();
        boolean jdk = !result.isError();
        if (Utf8.isValid(bytes, 0, length) != jdk) {
            disagreements.add(HexFormat.ofDelimiter(" ").formatHex(bytes, 0, length) + (jdk ? " valid" : " invalid"));
        }
    }
}
