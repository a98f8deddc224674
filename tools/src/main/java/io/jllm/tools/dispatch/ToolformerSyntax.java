package io.jllm.tools.dispatch;

import java.util.List;
import java.util.Optional;

/**
 * Toolformer's inline calls: an opener ({@code [}, or the paper's {@code <API>} where the vocabulary has it),
 * a tool name, the arguments in parentheses, and the arrow ({@code →} or {@code ->}), after which the result is
 * due: {@code [Calculator(400 / 1400) →}. Spaces may follow the opener and surround the arrow. Arguments may
 * nest parentheses, brackets and braces, and hold any of them inside double quotes.
 *
 * <p>An arrow inside unclosed arguments ({@code [Calculator((2+3 →}) ends a malformed call, so the model hears
 * about its mistake. Anything else that breaks the pattern (a space in the name, {@code ]} before the
 * arrow, over-long names or arguments) abandons the call silently: the text was not a call after all.
 */
public final class ToolformerSyntax implements CallSyntax {

    /** Longer names or arguments are not calls; keeps the state small whatever the model writes. */
    private static final int MAX_NAME = 64;
    private static final int MAX_ARGUMENTS = 4000;

    private enum State { TEXT, NAME, ARGUMENTS, ARROW }

    private final List<String> openers;
    private final int longestOpener;
    private State state = State.TEXT;
    private final StringBuilder recent = new StringBuilder();
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();
    private final StringBuilder closers = new StringBuilder();
    private boolean quoted;
    private boolean dash;

    /** @param openers the texts that open a call, for example {@code [} and {@code <API>} */
    public ToolformerSyntax(List<String> openers) {
        if (openers.isEmpty() || openers.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("at least one non-empty opener is needed, got " + openers);
        }
        this.openers = List.copyOf(openers);
        this.longestOpener = openers.stream().mapToInt(String::length).max().orElseThrow();
    }

    @Override
    public Optional<CallRequest> accept(String piece) {
        for (int i = 0; i < piece.length(); i++) {
            Optional<CallRequest> call = accept(piece.charAt(i));
            if (call.isPresent()) {
                reset();
                return call;
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean inCall() {
        return state != State.TEXT;
    }

    @Override
    public void reset() {
        state = State.TEXT;
        recent.setLength(0);
        name.setLength(0);
        arguments.setLength(0);
        closers.setLength(0);
        quoted = false;
        dash = false;
    }

    private Optional<CallRequest> accept(char c) {
        return switch (state) {
            case TEXT -> {
                text(c);
                yield Optional.empty();
            }
            case NAME -> {
                name(c);
                yield Optional.empty();
            }
            case ARGUMENTS -> arguments(c);
            case ARROW -> arrow(c);
        };
    }

    private void text(char c) {
        recent.append(c);
        if (recent.length() > longestOpener) {
            recent.deleteCharAt(0);
        }
        for (String opener : openers) {
            if (endsWith(recent, opener)) {
                reset();
                state = State.NAME;
                return;
            }
        }
    }

    private void name(char c) {
        if (Character.isWhitespace(c) && name.isEmpty()) {
            return;
        }
        boolean letter = c < 128 && Character.isLetter(c);
        if (letter || (!name.isEmpty() && c < 128 && (Character.isDigit(c) || c == '_'))) {
            if (name.length() == MAX_NAME) {
                abandon(c);
                return;
            }
            name.append(c);
        } else if (c == '(' && !name.isEmpty()) {
            state = State.ARGUMENTS;
        } else {
            abandon(c);
        }
    }

    private Optional<CallRequest> arguments(char c) {
        if (quoted) {
            quoted = c != '"';
        } else if (c == '"') {
            quoted = true;
        } else if (c == '→' || (c == '>' && endsWith(arguments, "-"))) {
            String text = c == '>' ? arguments.substring(0, arguments.length() - 1) : arguments.toString();
            String missing = new StringBuilder(closers).reverse() + ")";
            return Optional.of(CallRequest.malformed(name.toString(), text.strip(),
                    "malformed call: missing '" + missing + "' before the arrow"));
        } else if (c == '(' || c == '[' || c == '{') {
            closers.append(c == '(' ? ')' : c == '[' ? ']' : '}');
        } else if (c == ')' && closers.isEmpty()) {
            state = State.ARROW;
            return Optional.empty();
        } else if (c == ')' || c == ']' || c == '}') {
            if (closers.isEmpty() || closers.charAt(closers.length() - 1) != c) {
                abandon(c);
                return Optional.empty();
            }
            closers.setLength(closers.length() - 1);
        }
        if (arguments.length() == MAX_ARGUMENTS) {
            abandon(c);
            return Optional.empty();
        }
        arguments.append(c);
        return Optional.empty();
    }

    private Optional<CallRequest> arrow(char c) {
        if (c == '→' && !dash || c == '>' && dash) {
            return Optional.of(CallRequest.of(name.toString(), arguments.toString().strip()));
        }
        if (c == '-' && !dash) {
            dash = true;
        } else if (!Character.isWhitespace(c) || dash) {
            abandon(c);
        }
        return Optional.empty();
    }

    /** Not a call after all; the character may open the next one. */
    private void abandon(char c) {
        reset();
        text(c);
    }

    private static boolean endsWith(CharSequence text, String suffix) {
        int start = text.length() - suffix.length();
        if (start < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (text.charAt(start + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
