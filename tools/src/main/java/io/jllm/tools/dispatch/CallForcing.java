package io.jllm.tools.dispatch;

import io.jllm.engine.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Toolformer's decoding rule (Schick et al., 2023, section 4): a call starts not only when the call-opening
 * token is sampled but whenever it is among the {@code k} most likely tokens, which makes the model more
 * willing to use its tools. The opening tokens are those whose text, spaces aside, is the opener ({@code [}
 * and {@code " ["}, or {@code <API>}).
 */
public final class CallForcing {

    public static final int DEFAULT_TOP_K = 10;

    private final int[] openers;
    private final String opener;
    private final int k;

    CallForcing(int[] openers, String opener, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k for starting calls must be at least 1, got " + k);
        }
        this.openers = openers.clone();
        this.opener = opener;
        this.k = k;
    }

    /** Forcing the tokens that stand for {@code opener}; none found makes a forcing that never forces. */
    public static CallForcing of(Tokenizer tokenizer, String opener, int k) {
        int[] ids = new int[0];
        for (int token = 0; token < tokenizer.vocabularySize(); token++) {
            if (textOf(tokenizer, token).strip().equals(opener)) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = token;
            }
        }
        return new CallForcing(ids, opener, k);
    }

    static String textOf(Tokenizer tokenizer, int token) {
        byte[] bytes = tokenizer.tokenBytes(token);
        return bytes.length == 0 ? tokenizer.tokenText(token) : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The opening token to take instead of {@code sampled}: the most likely opener when one is among the top
     * {@code k} of {@code logits} and the sampled token's text does not already open a call.
     */
    public OptionalInt replacement(String sampledText, float[] logits) {
        if (sampledText.contains(opener)) {
            return OptionalInt.empty();
        }
        int best = -1;
        for (int token : openers) {
            if (best < 0 || logits[token] > logits[best]) {
                best = token;
            }
        }
        return best >= 0 && rank(logits, best) < k ? OptionalInt.of(best) : OptionalInt.empty();
    }

    /** How many tokens are strictly more likely. */
    private static int rank(float[] logits, int token) {
        float value = logits[token];
        int above = 0;
        for (float logit : logits) {
            if (logit > value) {
                above++;
            }
        }
        return above;
    }
}
