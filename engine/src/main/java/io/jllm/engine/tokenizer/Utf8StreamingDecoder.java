package io.jllm.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Streams token bytes out as text, holding back the bytes of a UTF-8 character until its last byte has
 * arrived (an emoji can be spread over four byte tokens). Bytes that can never complete a character are
 * passed on as U+FFFD rather than held.
 */
final class Utf8StreamingDecoder implements StreamingDecoder {
    private final IntFunction<byte[]> tokenBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Utf8StreamingDecoder(IntFunction<byte[]> tokenBytes) {
        this.tokenBytes = tokenBytes;
    }

    @Override
    public String next(int token) {
        pending.writeBytes(tokenBytes.apply(token));
        byte[] bytes = pending.toByteArray();
        int complete = completePrefixLength(bytes);
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        return new String(bytes, 0, complete, StandardCharsets.UTF_8);
    }

    @Override
    public String flush() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** Length of the longest prefix that does not end inside a character that may still be completed. */
    static int completePrefixLength(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int expected = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
            return back < expected ? n - back : n;
        }
        return n;
    }
}
