package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the fixtures written by {@code gguf/src/test/python/make_codec_fixtures.py} from
 * {@code src/test/resources/codec/}, and compares results bit for bit with messages that point at the first
 * difference.
 */
final class CodecFixtures {
    private CodecFixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = CodecFixtures.class.getResourceAsStream("/codec/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource codec/" + name
                        + " (made by gguf/src/test/python/make_codec_fixtures.py)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(String name) {
        byte[] raw = bytes(name);
        float[] out = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Null when every float has the same bits, else a description of the first difference. */
    static String firstBitDifference(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return "length " + actual.length + " instead of " + expected.length;
        }
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]);
            int a = Float.floatToRawIntBits(actual[i]);
            if (e != a) {
                return "element " + i + ": " + actual[i] + " (0x" + Integer.toHexString(a) + ") instead of "
                        + expected[i] + " (0x" + Integer.toHexString(e) + ")";
            }
        }
        return null;
    }

    /** Null when the byte arrays are equal, else the first differing block and byte. */
    static String firstByteDifference(GgmlType type, byte[] expected, byte[] actual) {
        if (expected.length != actual.length) {
            return "length " + actual.length + " instead of " + expected.length;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                return "block " + i / type.blockBytes() + ", byte " + i % type.blockBytes() + ": 0x"
                        + Integer.toHexString(actual[i] & 0xFF) + " instead of 0x"
                        + Integer.toHexString(expected[i] & 0xFF);
            }
        }
        return null;
    }
}
