package io.jllm.engine.tokenizer;

import java.util.Arrays;

/**
 * Hugging Face's {@code clean_up_tokenization_spaces} as llama.cpp applies it after decoding: three passes
 * over the bytes that drop the space in " ?", " !", " .", " ,", around a lone " ' ", and before "'s", "'m",
 * "'re", "'ve".
 */
final class SpaceCleanup {
    private SpaceCleanup() {
    }

    static byte[] apply(byte[] text) {
        return contractions(loneApostrophes(punctuation(text)));
    }

    private static byte[] punctuation(byte[] t) {
        if (t.length == 0) {
            return t;
        }
        byte[] out = new byte[t.length];
        int n = 0;
        out[n++] = t[0];
        for (int i = 1; i < t.length; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                n--;
            }
            out[n++] = x;
        }
        return Arrays.copyOf(out, n);
    }

    private static byte[] loneApostrophes(byte[] t) {
        if (t.length == 0) {
            return t;
        }
        byte[] in = t.clone();
        byte[] out = new byte[in.length];
        int n = 0;
        out[n++] = in[0];
        for (int i = 1; i < in.length; i++) {
            byte x = in[i];
            if (x == '\'' && i + 1 < in.length && in[i - 1] == ' ' && in[i + 1] == ' ') {
                n--;
                in[++i] = 0;
            }
            out[n++] = x;
        }
        return Arrays.copyOf(out, n);
    }

    private static byte[] contractions(byte[] t) {
        if (t.length == 0) {
            return t;
        }
        byte[] out = new byte[t.length];
        int n = 0;
        out[n++] = t[0];
        for (int i = 1; i < t.length; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < t.length) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    n--;
                } else if (i + 2 < t.length) {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        n--;
                    }
                }
            }
            out[n++] = x;
        }
        return Arrays.copyOf(out, n);
    }
}
