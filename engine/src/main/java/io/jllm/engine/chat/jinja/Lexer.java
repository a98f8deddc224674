package io.jllm.engine.chat.jinja;

import io.jllm.engine.chat.jinja.Token.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and tag tokens, applying whitespace control the way Hugging Face
 * transformers configures Jinja: {@code trim_blocks} and {@code lstrip_blocks} on, {@code -} strips all
 * whitespace on its side, {@code +} keeps it, and one trailing newline of the template is dropped.
 */
final class Lexer {
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}",
        ",", ".", ":", "|"};

    private final Source source;
    private final String s;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean lineStarting = true;

    private Lexer(Source source) {
        this.source = source;
        String text = source.text;
        this.s = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    static List<Token> tokenize(Source source) {
        Lexer lexer = new Lexer(source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            int tag = nextTag(pos);
            String text = s.substring(pos, tag < 0 ? s.length() : tag);
            if (tag < 0) {
                addText(text, pos);
                tokens.add(new Token(Kind.EOF, "", s.length()));
                return;
            }
            char open = s.charAt(tag + 1);
            char sign = tag + 2 < s.length() ? s.charAt(tag + 2) : ' ';
            if (sign == '-') {
                text = text.stripTrailing();
            } else if (sign != '+' && open != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                        && text.substring(lineStart).isBlank()) {
                    text = text.substring(0, lineStart);
                }
            }
            addText(text, pos);
            int inner = tag + 2 + (sign == '-' || sign == '+' ? 1 : 0);
            if (open == '#') {
                comment(tag, inner);
            } else {
                tag(tag, inner, open == '{');
            }
        }
    }

    private int nextTag(int from) {
        int i = s.indexOf('{', from);
        while (i >= 0 && i + 1 < s.length()) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = s.indexOf('{', i + 1);
        }
        return -1;
    }

    private void addText(String text, int at) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.TEXT, text, at));
        }
    }

    private void comment(int tag, int inner) {
        int end = s.indexOf("#}", inner);
        if (end < 0) {
            throw source.error("comment is not closed with '#}'", tag);
        }
        char sign = end > inner ? s.charAt(end - 1) : ' ';
        afterTag(end + 2, sign, true);
    }

    private void tag(int tag, int inner, boolean variable) {
        tokens.add(new Token(variable ? Kind.VAR_BEGIN : Kind.BLOCK_BEGIN, variable ? "{{" : "{%", tag));
        String close = variable ? "}}" : "%}";
        List<Character> brackets = new ArrayList<>();
        pos = inner;
        while (true) {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                throw source.error("tag is not closed with '" + close + "'", tag);
            }
            if (brackets.isEmpty()) {
                char c = s.charAt(pos);
                boolean signed = (c == '-' || c == '+') && s.startsWith(close, pos + 1);
                if (signed || s.startsWith(close, pos)) {
                    int at = pos;
                    afterTag(pos + close.length() + (signed ? 1 : 0), signed ? c : ' ', !variable);
                    tokens.add(new Token(variable ? Kind.VAR_END : Kind.BLOCK_END, close, at));
                    return;
                }
            }
            exprToken(brackets);
        }
    }

    /** Moves past a tag end, applying its right-hand whitespace control. */
    private void afterTag(int end, char sign, boolean block) {
        pos = end;
        if (sign == '-') {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        } else if (sign != '+' && block && pos < s.length() && s.charAt(pos) == '\n') {
            pos++;
        }
        lineStarting = pos > end && s.charAt(pos - 1) == '\n';
    }

    private void exprToken(List<Character> brackets) {
        char c = s.charAt(pos);
        int start = pos;
        if (c == '\'' || c == '"') {
            tokens.add(new Token(Kind.STRING, string(c), start));
        } else if (Character.isDigit(c)) {
            number();
        } else if (Character.isLetter(c) || c == '_') {
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            tokens.add(new Token(Kind.NAME, s.substring(start, pos), start));
        } else {
            for (String op : OPERATORS) {
                if (s.startsWith(op, pos)) {
                    balance(op.charAt(0), brackets, start);
                    pos += op.length();
                    tokens.add(new Token(Kind.OPERATOR, op, start));
                    return;
                }
            }
            throw source.error("unexpected character '" + c + "'", start);
        }
    }

    private void balance(char c, List<Character> brackets, int at) {
        switch (c) {
            case '(' -> brackets.add(')');
            case '[' -> brackets.add(']');
            case '{' -> brackets.add('}');
            case ')', ']', '}' -> {
                if (brackets.isEmpty() || brackets.removeLast() != c) {
                    throw source.error("unexpected '" + c + "'", at);
                }
            }
            default -> {
            }
        }
    }

    private void number() {
        int start = pos;
        digits();
        boolean isFloat = false;
        if (pos + 1 < s.length() && s.charAt(pos) == '.' && Character.isDigit(s.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            digits();
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                digits();
                isFloat = true;
            } else {
                pos = save;
            }
        }
        String text = s.substring(start, pos).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, start));
    }

    private void digits() {
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
    }

    /** Reads a quoted literal, undoing Python's escapes (unknown escapes stay as written, like Python). */
    private String string(char quote) {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw source.error("string literal is not closed", start);
            }
            char c = s.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c != '\\' || pos >= s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'a' -> sb.append('\u0007');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int end = pos - 1;
                    while (end < s.length() && end < pos + 2 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                        end++;
                    }
                    sb.append((char) Integer.parseInt(s.substring(pos - 1, end), 8));
                    pos = end;
                }
                case 'x' -> sb.appendCodePoint(hex(2, start));
                case 'u' -> sb.appendCodePoint(hex(4, start));
                case 'U' -> sb.appendCodePoint(hex(8, start));
                case '\n' -> {
                }
                case '\\', '\'', '"' -> sb.append(e);
                default -> sb.append('\\').append(e);
            }
        }
    }

    private int hex(int digits, int literalStart) {
        if (pos + digits > s.length()) {
            throw source.error("truncated \\x, \\u or \\U escape in string literal", literalStart);
        }
        try {
            int cp = Integer.parseUnsignedInt(s.substring(pos, pos + digits), 16);
            if (!Character.isValidCodePoint(cp)) {
                throw source.error("escape is not a valid code point", literalStart);
            }
            pos += digits;
            return cp;
        } catch (NumberFormatException e) {
            throw source.error("bad \\x, \\u or \\U escape in string literal", literalStart);
        }
    }
}
