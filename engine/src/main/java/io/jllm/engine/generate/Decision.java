package io.jllm.engine.generate;

import java.util.Arrays;

/**
 * What a {@link DecodeListener} wants after seeing a sampled token: go on, stop, insert tokens (a tool's
 * result) into the text before decoding goes on, or take another token in place of the sampled one.
 */
public sealed interface Decision permits Decision.Continue, Decision.Stop, Decision.Inject, Decision.Replace {

    /** The usual answer: keep decoding. */
    Decision CONTINUE = new Continue();

    /** End the generation after the token just seen; that token is kept. */
    Decision STOP = new Stop();

    /** Insert {@code tokens} right after the token just seen. */
    static Decision inject(int... tokens) {
        return new Inject(tokens);
    }

    /** Put {@code token} in the sequence instead of the sampled token. */
    static Decision replace(int token) {
        return new Replace(token);
    }

    /** Keep decoding. */
    record Continue() implements Decision {
    }

    /** End the generation after the token just seen, which stays in the output. */
    record Stop() implements Decision {
    }

    /**
     * Append the token just seen and then {@code tokens} to the sequence, in the same KV cache, and sample
     * the next token from the logits after the last injected one. Injected tokens are part of the output
     * (text and tokens) but do not count against the maximum number of generated tokens.
     *
     * @param tokens at least one token id of the model's vocabulary; copied
     */
    record Inject(int[] tokens) implements Decision {

        public Inject {
            if (tokens == null || tokens.length == 0) {
                throw new IllegalArgumentException("Inject needs at least one token; answer CONTINUE to add none");
            }
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inject other && Arrays.equals(tokens, other.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }

        @Override
        public String toString() {
            return "Inject" + Arrays.toString(tokens);
        }
    }

    /**
     * Put {@code token} in the sequence instead of the sampled one, as if it had been sampled (Toolformer's
     * decoding starts a tool call whenever the call-opening token is among the k most likely, not only when
     * it is sampled). The listener is not asked about the replacement; decoding goes on after it.
     *
     * @param token a token id of the model's vocabulary
     */
    record Replace(int token) implements Decision {
    }
}
