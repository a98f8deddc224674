package io.jllm.tools.calculator;

import io.jllm.tools.ToolException;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Parses and evaluates one arithmetic expression (grammar in {@link Calculator}) in a single recursive-descent
 * pass over the characters. Every value is a {@link BigDecimal} rounded to {@link #CONTEXT}; magnitudes,
 * exponents and nesting are bounded so that no input can hang or exhaust memory.
 */
final class ArithmeticParser {

    static final MathContext CONTEXT = new MathContext(50, RoundingMode.HALF_EVEN);
    static final int MAX_MAGNITUDE_EXPONENT = 100;
    static final int MIN_MAGNITUDE_EXPONENT = -1000;
    static final int MAX_EXPONENT = 9999;
    static final int MAX_DEPTH = 100;
    static final int MAX_ROUND_DECIMALS = 50;

    private final String text;
    private int pos;
    private int depth;

    private ArithmeticParser(String text) {
        this.text = text;
    }

    static BigDecimal evaluate(String expression) throws ToolException {
        ArithmeticParser parser = new ArithmeticParser(expression);
        parser.skipSpace();
        if (parser.atEnd()) {
            throw new ToolException("empty expression");
        }
        try {
            BigDecimal value = parser.expression();
            parser.skipSpace();
            if (!parser.atEnd()) {
                throw parser.unexpected();
            }
            return value;
        } catch (ArithmeticException e) {
            throw new ToolException("cannot compute: " + e.getMessage(), e);
        }
    }

    private BigDecimal expression() throws ToolException {
        BigDecimal value = term();
        while (true) {
            skipSpace();
            if (accept('+')) {
                value = bounded(value.add(term(), CONTEXT));
            } else if (accept('-') || accept('−')) {
                value = bounded(value.subtract(term(), CONTEXT));
            } else {
                return value;
            }
        }
    }

    private BigDecimal term() throws ToolException {
        BigDecimal value = factor();
        while (true) {
            skipSpace();
            if (accept('*') || accept('×')) {
                value = bounded(value.multiply(factor(), CONTEXT));
            } else if (accept('/') || accept('÷')) {
                value = divide(value, factor());
            } else if (peek() == '%' && operandFollows(pos + 1)) {
                pos++;
                BigDecimal divisor = factor();
                if (divisor.signum() == 0) {
                    throw new ToolException("division by zero");
                }
                value = value.remainder(divisor, CONTEXT);
            } else {
                return value;
            }
        }
    }

    private BigDecimal factor() throws ToolException {
        enter();
        skipSpace();
        BigDecimal value;
        if (accept('-') || accept('−')) {
            value = factor().negate();
        } else if (accept('+')) {
            value = factor();
        } else {
            value = power();
        }
        depth--;
        return value;
    }

    private BigDecimal power() throws ToolException {
        BigDecimal base = percent();
        skipSpace();
        if (!accept('^')) {
            return base;
        }
        return raise(base, factor());
    }

    /** A primary followed by any number of {@code %} (divides by 100), each optionally followed by {@code of x}. */
    private BigDecimal percent() throws ToolException {
        BigDecimal value = primary();
        while (true) {
            skipSpace();
            if (peek() != '%' || operandFollows(pos + 1)) {
                return value;
            }
            pos++;
            value = value.movePointLeft(2);
            skipSpace();
            if (acceptWord("of")) {
                value = bounded(value.multiply(factor(), CONTEXT));
            }
        }
    }

    private BigDecimal primary() throws ToolException {
        skipSpace();
        char c = peek();
        if (c == '(') {
            enter();
            pos++;
            BigDecimal value = expression();
            expectClosing();
            depth--;
            return value;
        }
        if (isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c)) {
            return function();
        }
        throw unexpected();
    }

    private BigDecimal number() throws ToolException {
        int start = pos;
        while (!atEnd() && (isDigit(peek()) || peek() == '.')) {
            pos++;
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            int mark = pos++;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                pos++;
            }
            if (atEnd() || !isDigit(peek())) {
                pos = mark;
            }
            while (!atEnd() && isDigit(peek())) {
                pos++;
            }
        }
        String literal = text.substring(start, pos);
        try {
            return bounded(new BigDecimal(literal, CONTEXT));
        } catch (NumberFormatException e) {
            throw new ToolException("malformed number '" + literal + "'");
        }
    }

    private BigDecimal function() throws ToolException {
        int start = pos;
        while (!atEnd() && Character.isLetter(peek())) {
            pos++;
        }
        String name = text.substring(start, pos);
        skipSpace();
        if (!accept('(')) {
            pos = start;
            throw new ToolException("unknown name '" + name + "' at character " + (start + 1)
                    + " (functions: sqrt, abs, round)");
        }
        enter();
        BigDecimal argument = expression();
        skipSpace();
        BigDecimal value = switch (name.toLowerCase(Locale.ROOT)) {
            case "sqrt" -> sqrt(argument);
            case "abs" -> argument.abs();
            case "round" -> round(argument, accept(',') ? expression() : BigDecimal.ZERO);
            default -> throw new ToolException("unknown function '" + name + "' (functions: sqrt, abs, round)");
        };
        expectClosing();
        depth--;
        return value;
    }

    private static BigDecimal sqrt(BigDecimal x) throws ToolException {
        if (x.signum() < 0) {
            throw new ToolException("square root of a negative number");
        }
        return x.sqrt(CONTEXT);
    }

    private static BigDecimal round(BigDecimal x, BigDecimal decimals) throws ToolException {
        int places = wholeNumber(decimals, "round() decimals");
        if (places < 0 || places > MAX_ROUND_DECIMALS) {
            throw new ToolException("round() decimals must be between 0 and " + MAX_ROUND_DECIMALS);
        }
        return x.setScale(places, RoundingMode.HALF_UP);
    }

    private static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) throws ToolException {
        if (divisor.signum() == 0) {
            throw new ToolException("division by zero");
        }
        return bounded(dividend.divide(divisor, CONTEXT));
    }

    private static BigDecimal raise(BigDecimal base, BigDecimal exponent) throws ToolException {
        int n = wholeNumber(exponent, "exponent");
        if (Math.abs((long) n) > MAX_EXPONENT) {
            throw new ToolException("exponent " + exponent.toPlainString() + " is too large (limit "
                    + MAX_EXPONENT + ")");
        }
        if (base.signum() == 0 && n < 0) {
            throw new ToolException("division by zero");
        }
        return bounded(base.pow(n, CONTEXT));
    }

    private static int wholeNumber(BigDecimal value, String what) throws ToolException {
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw new ToolException(what + " must be a whole number, got " + value.toPlainString());
        }
        if (value.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new ToolException(what + " " + value.toEngineeringString() + " is too large");
        }
        return value.intValueExact();
    }

    /**
     * Refuses magnitudes of 10^100 and more, and nonzero ones below 10^-1000, so that later steps stay cheap,
     * decimal exponents cannot overflow and results stay printable.
     */
    private static BigDecimal bounded(BigDecimal value) throws ToolException {
        if (value.signum() == 0) {
            return value;
        }
        long magnitude = (long) value.precision() - value.scale();
        if (magnitude > MAX_MAGNITUDE_EXPONENT) {
            throw new ToolException("number too large (limit 10^" + MAX_MAGNITUDE_EXPONENT + ")");
        }
        if (magnitude <= MIN_MAGNITUDE_EXPONENT) {
            throw new ToolException("number too small (limit 10^" + MIN_MAGNITUDE_EXPONENT + ")");
        }
        return value;
    }

    /** Whether an operand starts at {@code from} (after spaces): then {@code %} is a remainder, not a percent. */
    private boolean operandFollows(int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i >= text.length()) {
            return false;
        }
        char c = text.charAt(i);
        if (isDigit(c) || c == '.' || c == '(') {
            return true;
        }
        return Character.isLetter(c) && !text.regionMatches(true, i, "of", 0, 2);
    }

    private void enter() throws ToolException {
        if (++depth > MAX_DEPTH) {
            throw new ToolException("expression nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expectClosing() throws ToolException {
        skipSpace();
        if (atEnd()) {
            throw new ToolException("missing ')'");
        }
        if (!accept(')')) {
            throw unexpected();
        }
    }

    private ToolException unexpected() {
        if (atEnd()) {
            return new ToolException("expression ends early");
        }
        return new ToolException("unexpected '" + text.charAt(pos) + "' at character " + (pos + 1));
    }

    private boolean acceptWord(String word) {
        int end = pos + word.length();
        if (text.regionMatches(true, pos, word, 0, word.length())
                && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean accept(char c) {
        if (!atEnd() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
