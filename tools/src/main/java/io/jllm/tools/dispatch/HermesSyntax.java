package io.jllm.tools.dispatch;

import java.util.Optional;

/**
 * Tool calls the way Hermes and Qwen chat templates ask for them:
 * {@code <tool_call>{"name": "Calculator", "arguments": {"input": "2+2"}}</tool_call>}. The call ends with the
 * closing tag.
 */
public final class HermesSyntax implements CallSyntax {

    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";
    private static final int MAX_CALL = 8000;

    private final StringBuilder text = new StringBuilder();
    private int callStart = -1;

    @Override
    public Optional<CallRequest> accept(String piece) {
        for (int i = 0; i < piece.length(); i++) {
            text.append(piece.charAt(i));
            if (callStart < 0) {
                if (endsWith(OPEN)) {
                    callStart = text.length();
                } else if (text.length() > OPEN.length()) {
                    text.delete(0, text.length() - OPEN.length());
                }
            } else if (endsWith(CLOSE)) {
                String json = text.substring(callStart, text.length() - CLOSE.length());
                reset();
                return Optional.of(JsonCalls.parse(json));
            } else if (text.length() - callStart > MAX_CALL) {
                reset();
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean inCall() {
        return callStart >= 0;
    }

    @Override
    public void reset() {
        text.setLength(0);
        callStart = -1;
    }

    private boolean endsWith(String suffix) {
        int start = text.length() - suffix.length();
        return start >= 0 && text.indexOf(suffix, start) == start;
    }
}
