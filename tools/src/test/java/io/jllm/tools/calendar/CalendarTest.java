package io.jllm.tools.calendar;

import io.jllm.tools.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expected weekdays and day counts were computed with Python's datetime module. */
class CalendarTest {

    private static final Clock NOV_28_2026 = Clock.fixed(Instant.parse("2026-11-28T10:15:00Z"), ZoneOffset.UTC);

    private final Calendar calendar = new Calendar(NOV_28_2026);

    @Test
    void withoutArgumentsSaysTodaysDateLikeThePapersTool() throws ToolException {
        assertThat(calendar.call("")).isEqualTo("Today is Saturday, November 28, 2026.");
        assertThat(calendar.call("  ")).isEqualTo("Today is Saturday, November 28, 2026.");
        assertThat(calendar.call("today")).isEqualTo("Today is Saturday, November 28, 2026.");
    }

    @Test
    void todayIsTheDateInTheClocksZone() throws ToolException {
        Clock tokyo = Clock.fixed(Instant.parse("2026-11-28T20:00:00Z"), ZoneId.of("Asia/Tokyo"));
        assertThat(new Calendar(tokyo).call("")).isEqualTo("Today is Sunday, November 29, 2026.");
    }

    @ParameterizedTest(name = "Calendar({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "weekday, 2027-03-15 | Monday",
        "WEEKDAY, 2024-02-29 | Thursday",
        "weekday | Saturday",
        "weekday, today | Saturday",
        "weekday, \"2027-03-15\" | Monday",
        "days_between, 2026-11-28, 2027-01-01 | 34",
        "days_between, 2024-02-29, 2000-01-01 | -8825",
        "days_between, today, 2026-12-25 | 27",
        "days_between,2026-11-28,2026-11-28 | 0",
        "add_days, 2026-11-28, -45 | 2026-10-14",
        "add_days, 2024-02-29, 365 | 2025-02-28",
        "add_days, today, +3 | 2026-12-01",
    })
    void answersDateQuestions(String arguments, String expected) throws ToolException {
        assertThat(calendar.call(arguments)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Calendar({0}) -> {1}")
    @CsvSource(delimiter = '|', value = {
        "weekday, 2027-02-30 | invalid date '2027-02-30' (expected an existing date as YYYY-MM-DD)",
        "weekday, 2027-13-01 | invalid date '2027-13-01' (expected an existing date as YYYY-MM-DD)",
        "weekday, 03/15/2027 | invalid date '03/15/2027' (expected an existing date as YYYY-MM-DD)",
        "weekday, 2027-03-15, 2027-03-16 | expected weekday, DATE",
        "days_between, 2026-11-28 | expected days_between, DATE, DATE",
        "add_days, 2026-11-28 | expected add_days, DATE, DAYS",
        "add_days, 2026-11-28, ten | invalid number of days 'ten' (expected a whole number)",
        "add_days, 2026-11-28, 1.5 | invalid number of days '1.5' (expected a whole number)",
        "add_days, 9999-12-31, 1 | date out of range (years 1 to 9999)",
        "add_days, 0001-01-01, -1 | date out of range (years 1 to 9999)",
        "add_days, 2026-11-28, 9223372036854775807 | date out of range (years 1 to 9999)",
        "weekday, +10000-01-01 | date out of range (years 1 to 9999)",
        "yesterday | unknown operation 'yesterday' (operations: weekday, days_between, add_days)",
    })
    void refusesBadDatesAndOperationsClearly(String arguments, String message) {
        assertThatThrownBy(() -> calendar.call(arguments))
                .isInstanceOf(ToolException.class)
                .hasMessage(message);
    }
}
