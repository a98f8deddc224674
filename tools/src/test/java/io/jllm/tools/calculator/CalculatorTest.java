package io.jllm.tools.calculator;

import io.jllm.tools.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Expected values were computed with Python's decimal module (50 digits, ROUND_HALF_UP to the decimals). */
class CalculatorTest {

    private final Calculator calculator = new Calculator();

    @Test
    void answersThePapersExampleRoundedToTwoDecimals() throws ToolException {
        assertThat(calculator.call("400 / 1400")).isEqualTo("0.29");
        assertThat(calculator.call("400/1400")).isEqualTo("0.29");
    }

    @Test
    void dropsTrailingZerosSoWholeResultsReadAsIntegers() throws ToolException {
        assertThat(calculator.call("4 * 30")).isEqualTo("120");
        assertThat(calculator.call("2.50 + 2.50")).isEqualTo("5");
        assertThat(calculator.call("1.10 * 3")).isEqualTo("3.3");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
        "2 + 3 * 4 = 14",
        "(2 + 3) * 4 = 20",
        "10 - 4 - 3 = 3",
        "100 / 10 / 5 = 2",
        "-2^2 = -4",
        "(-2)^2 = 4",
        "2^3^2 = 512",
        "2^-1 = 0.5",
        "--3 = 3",
        "+7 = 7",
        "10 % 3 = 1",
        "-7 % 3 = -1",
        "7.5 % 2 = 1.5",
        "15% of 80 = 12",
        "80 * 15% = 12",
        "15 % of 80 = 12",
        "200 + 10% = 200.1",
        "(10 + 5)% of 80 = 12",
        "sqrt(2) = 1.41",
        "sqrt(16) + 1 = 5",
        "abs(-3.5) = 3.5",
        "round(2.5) = 3",
        "round(2.675, 2) = 2.68",
        "round(-2.5) = -3",
        "1.5e3 = 1500",
        ".5 + .25 = 0.75",
        "6 × 7 = 42",
        "84 ÷ 2 = 42",
        "50 − 8 = 42",
        "0.125 = 0.13",
        "-0.125 = -0.13",
        "-0.001 = 0",
        "1234567.891 = 1234567.89",
        "2^100 = 1267650600228229401496703205376",
        "10^99 / 10^99 = 1",
    })
    void evaluatesWithUsualPrecedenceAndHalfUpRounding(String expression, String expected) throws ToolException {
        assertThat(calculator.call(expression)).isEqualTo(expected);
    }

    @Test
    void isExactInDecimalWhereBinaryFloatingPointIsNot() throws ToolException {
        Calculator precise = new Calculator(20);
        assertThat(precise.call("0.1 + 0.2")).isEqualTo("0.3");
        assertThat(precise.call("1 / 3")).isEqualTo("0.33333333333333333333");
        assertThat(precise.call("sqrt(2)")).isEqualTo("1.4142135623730950488");
        assertThat(new Calculator(0).call("400 / 1400 * 100")).isEqualTo("29");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1 / 0 | division by zero",
        "5 % 0 | division by zero",
        "1 / (2 - 2) | division by zero",
        "0^-1 | division by zero",
        "sqrt(-4) | square root of a negative number",
        "2^0.5 | exponent must be a whole number, got 0.5",
        "2^100000 | exponent 100000 is too large (limit 9999)",
        "10^100 | number too large (limit 10^100)",
        "1e100 | number too large (limit 10^100)",
        "1e999999999 | number too large (limit 10^100)",
        "1e99999999999 | malformed number '1e99999999999'",
        "1.2.3 | malformed number '1.2.3'",
        "'' | empty expression",
        "2 + | expression ends early",
        "2 * (3 + 4 | missing ')'",
        "2 $ 3 | unexpected '$' at character 3",
        "(1 + 2)) | unexpected ')' at character 8",
        "foo(2) | unknown function 'foo' (functions: sqrt, abs, round)",
        "import os | unknown name 'import' at character 1 (functions: sqrt, abs, round)",
        "round(1.5, 0.5) | round() decimals must be a whole number, got 0.5",
        "round(1.5, 99) | round() decimals must be between 0 and 50",
    })
    void refusesBadInputWithAShortMessage(String expression, String message) {
        assertThatThrownBy(() -> calculator.call(expression))
                .isInstanceOf(ToolException.class)
                .hasMessage(message);
    }

    @Test
    void towersOfPowersFailAtOnceInsteadOfHanging() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThatThrownBy(() -> calculator.call("9^9^9^9"))
                    .hasMessage("exponent 387420489 is too large (limit 9999)");
            assertThatThrownBy(() -> calculator.call("9^9^9"))
                    .hasMessage("exponent 387420489 is too large (limit 9999)");
            assertThatThrownBy(() -> calculator.call("99^9999"))
                    .hasMessage("number too large (limit 10^100)");
        });
    }

    @Test
    void extremeScalesStayCheap() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(calculator.call("1e-999 + 1")).isEqualTo("1");
            assertThat(calculator.call("1 % 1e-999")).isEqualTo("0");
            assertThat(calculator.call("0.5^3000")).isEqualTo("0");
            assertThatThrownBy(() -> calculator.call("0.5^9999")).hasMessage("number too small (limit 10^-1000)");
            assertThatThrownBy(() -> calculator.call("1e-999999999 + 1"))
                    .hasMessage("number too small (limit 10^-1000)");
        });
    }

    @Test
    void deepNestingIsRefusedRatherThanOverflowingTheStack() {
        String parens = "(".repeat(5000) + "1" + ")".repeat(5000);
        assertThatThrownBy(() -> calculator.call(parens))
                .hasMessage("expression nested deeper than 100 levels");
        assertThatThrownBy(() -> calculator.call("-".repeat(5000) + "1"))
                .hasMessage("expression nested deeper than 100 levels");
        assertThatThrownBy(() -> calculator.call("2^".repeat(5000) + "1"))
                .hasMessage("expression nested deeper than 100 levels");
    }

    @Test
    void decimalsOutsideZeroToFiftyAreRejected() {
        assertThatThrownBy(() -> new Calculator(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Calculator(51)).isInstanceOf(IllegalArgumentException.class);
    }
}
