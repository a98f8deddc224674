package io.jllm.tools.dispatch;

import java.util.Optional;

/**
 * Tool calls the way Llama 3.1 and 3.2 chat templates ask for them: the assistant's answer is a bare JSON
 * object {@code {"name": "Calculator", "parameters": {"input": "2+2"}}}, optionally after
 * {@code <|python_tag|>}. The call ends where the object closes, before the model ends its turn. An answer
 * that starts with anything else is plain text.
 */
public final class LlamaJsonSyntax implements CallSyntax {

    private static final String PYTHON_TAG = "<|python_tag|>";
    private static final int MAX_CALL = 8000;

    private enum State { START, OBJECT, TEXT }

    private final StringBuilder text = new StringBuilder();
    private State state = State.START;
    private int depth;
    private boolean quoted;
    private boolean escaped;

    @Override
    public Optional<CallRequest> accept(String piece) {
        for (int i = 0; i < piece.length() && state != State.TEXT; i++) {
            char c = piece.charAt(i);
            if (state == State.START) {
                start(c);
            } else if (object(c)) {
                String json = text.toString();
                reset();
                return Optional.of(JsonCalls.parse(json));
            }
        }
        return Optional.empty();
    }

    private void start(char c) {
        text.append(c);
        String sofar = text.toString().stripLeading();
        if (c == '{' && (sofar.equals("{") || sofar.equals(PYTHON_TAG + "{"))) {
            text.setLength(0);
            text.append('{');
            depth = 1;
            state = State.OBJECT;
        } else if (!sofar.isEmpty() && !PYTHON_TAG.startsWith(sofar)) {
            state = State.TEXT;
        }
    }

    /** Reads one character of the object; true when it closed the object. */
    private boolean object(char c) {
        text.append(c);
        if (escaped) {
            escaped = false;
        } else if (quoted) {
            escaped = c == '\\';
            quoted = c != '"';
        } else if (c == '"') {
            quoted = true;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            return true;
        }
        if (text.length() > MAX_CALL) {
            state = State.TEXT;
        }
        return false;
    }

    @Override
    public boolean inCall() {
        return state == State.OBJECT;
    }

    @Override
    public void reset() {
        text.setLength(0);
        state = State.START;
        depth = 0;
        quoted = false;
        escaped = false;
    }
}
