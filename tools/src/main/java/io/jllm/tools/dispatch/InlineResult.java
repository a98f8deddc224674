package io.jllm.tools.dispatch;

import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.tools.ToolResult;

import java.util.Arrays;

/**
 * Toolformer's way of answering: the result right after the arrow, then the call's closing bracket,
 * {@code [Calculator(400/1400) →} + {@code " 0.29]"} (no space when the text already ends with one). Line breaks in the result become spaces so that the call
 * stays inline. With the paper's special tokens the closer is the {@code </API>} token.
 */
public final class InlineResult implements ResultInjection {

    private final Tokenizer tokenizer;
    private final String closer;
    private final int closerToken;

    /** Closes with the text {@code closer}, for example {@code ]}. */
    public static InlineResult closingWith(Tokenizer tokenizer, String closer) {
        return new InlineResult(tokenizer, closer, -1);
    }

    /** Closes with a special token, for example {@code </API>}. */
    public static InlineResult closingWithToken(Tokenizer tokenizer, int closerToken) {
        return new InlineResult(tokenizer, "", closerToken);
    }

    private InlineResult(Tokenizer tokenizer, String closer, int closerToken) {
        this.tokenizer = tokenizer;
        this.closer = closer;
        this.closerToken = closerToken;
    }

    @Override
    public int[] tokens(CallRequest call, ToolResult result, String turnText) {
        String space = turnText.isEmpty() || Character.isWhitespace(turnText.charAt(turnText.length() - 1)) ? "" : " ";
        String text = space + result.display().replaceAll("\\R+", " ").strip() + closer;
        int[] tokens = tokenizer.encode(text, false, false);
        if (closerToken < 0) {
            return tokens;
        }
        int[] closed = Arrays.copyOf(tokens, tokens.length + 1);
        closed[tokens.length] = closerToken;
        return closed;
    }
}
