package io.jllm.tools.calculator;

import io.jllm.tools.Tool;
import io.jllm.tools.ToolException;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Toolformer's calculator: evaluates an arithmetic expression in exact decimal arithmetic and answers with the
 * value rounded half-up to two decimals as in the paper's {@code [Calculator(400 / 1400) → 0.29]}, trailing zeros
 * dropped so that whole results read as integers ({@code 4 * 30} answers {@code 120}). The number of decimals is
 * configurable. It parses and evaluates expressions; it never runs code.
 *
 * <p>Grammar (spaces are ignored, {@code ×}, {@code ÷} and {@code −} are read as {@code *}, {@code /} and
 * {@code -}):
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := factor (('*' | '/' | '%') factor)*   '%' here is the remainder (sign of the dividend)
 * factor     := ('-' | '+') factor | power             so -2^2 = -4
 * power      := percent ('^' factor)?                 right-associative: 2^3^2 = 512; whole exponents only
 * percent    := primary ('%' ('of' factor)?)*         15% = 0.15, 15% of 80 = 12, 80*15% = 12
 * primary    := NUMBER | '(' expression ')' | sqrt(expression) | abs(expression)
 *             | round(expression) | round(expression, decimals)
 * NUMBER     := digits with an optional fraction and exponent: 12, 0.5, .5, 1.5e3
 * </pre>
 * A {@code %} followed by a number, {@code (} or a function name is the remainder ({@code 10 % 3 = 1});
 * otherwise it is a percent sign. Values are kept to 50 significant digits; magnitudes of 10^100 and more or
 * below 10^-1000 (zero aside), exponents beyond ±9999 and nesting deeper than 100 levels are refused with a
 * short error, so that inputs like {@code 9^9^9^9} answer at once.
 */
public final class Calculator implements Tool {

    public static final int DEFAULT_DECIMALS = 2;

    private final int decimals;

    public Calculator() {
        this(DEFAULT_DECIMALS);
    }

    /** @param decimals how many decimals results are rounded to (half-up), 0 to 50 */
    public Calculator(int decimals) {
        if (decimals < 0 || decimals > ArithmeticParser.MAX_ROUND_DECIMALS) {
            throw new IllegalArgumentException("decimals must be between 0 and "
                    + ArithmeticParser.MAX_ROUND_DECIMALS + ", got " + decimals);
        }
        this.decimals = decimals;
    }

    @Override
    public String name() {
        return "Calculator";
    }

    @Override
    public String description() {
        return "exact decimal arithmetic: + - * / ^ %, parentheses, sqrt, abs, round, percentages; "
                + "answers rounded to " + decimals + " decimals";
    }

    @Override
    public String syntax() {
        return """
                Calculator(400 / 1400)
                Calculator(15% of 80)
                Calculator(round(sqrt(2) * (3 + 4)^2, 1))""";
    }

    @Override
    public String call(String arguments) throws ToolException {
        return format(ArithmeticParser.evaluate(arguments));
    }

    private String format(BigDecimal value) {
        BigDecimal rounded = value.setScale(decimals, RoundingMode.HALF_UP);
        return rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
    }
}
