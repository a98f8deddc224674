package io.jllm.tools.calendar;

import io.jllm.tools.Tool;
import io.jllm.tools.ToolArguments;
import io.jllm.tools.ToolException;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Toolformer's calendar, extended with date arithmetic. Dates are ISO ({@code YYYY-MM-DD}) or {@code today},
 * which is read from the injected {@link Clock}:
 * <pre>
 * Calendar()                                  Today is Saturday, November 28, 2026.
 * Calendar(weekday, 2027-03-15)               Monday
 * Calendar(days_between, 2026-11-28, 2027-01-01)   34   (negative when the second date is earlier)
 * Calendar(add_days, 2026-11-28, -45)         2026-10-14
 * </pre>
 * Results stay within the years 1 to 9999.
 */
public final class Calendar implements Tool {

    private static final DateTimeFormatter SENTENCE =
            DateTimeFormatter.ofPattern("EEEE, MMMM d, uuuu", Locale.ENGLISH);
    private static final LocalDate FIRST = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST = LocalDate.of(9999, 12, 31);
    private static final String OPERATIONS = "weekday, days_between, add_days";

    private final Clock clock;

    public Calendar(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "Calendar";
    }

    @Override
    public String description() {
        return "today's date, the weekday of a date, days between two dates, a date plus or minus days";
    }

    @Override
    public String syntax() {
        return """
                Calendar()
                Calendar(weekday, 2027-03-15)
                Calendar(days_between, today, 2027-01-01)
                Calendar(add_days, 2026-11-28, -45)""";
    }

    @Override
    public String call(String arguments) throws ToolException {
        List<String> args = ToolArguments.split(arguments);
        if (args.isEmpty() || args.equals(List.of("today"))) {
            return "Today is " + SENTENCE.format(today()) + ".";
        }
        String operation = args.getFirst().toLowerCase(Locale.ROOT);
        List<String> operands = args.subList(1, args.size());
        return switch (operation) {
            case "weekday" -> {
                LocalDate date = operands.isEmpty() ? today() : date(only(operands, 1, "weekday, DATE").getFirst());
                yield date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            }
            case "days_between" -> {
                List<String> two = only(operands, 2, "days_between, DATE, DATE");
                yield Long.toString(ChronoUnit.DAYS.between(date(two.get(0)), date(two.get(1))));
            }
            case "add_days" -> {
                List<String> two = only(operands, 2, "add_days, DATE, DAYS");
                yield addDays(date(two.get(0)), two.get(1)).toString();
            }
            default -> throw new ToolException("unknown operation '" + args.getFirst() + "' (operations: "
                    + OPERATIONS + ")");
        };
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }

    private static List<String> only(List<String> operands, int count, String usage) throws ToolException {
        if (operands.size() != count) {
            throw new ToolException("expected " + usage);
        }
        return operands;
    }

    private LocalDate date(String text) throws ToolException {
        if (text.equalsIgnoreCase("today")) {
            return today();
        }
        try {
            return inRange(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE));
        } catch (DateTimeParseException e) {
            throw new ToolException("invalid date '" + text + "' (expected an existing date as YYYY-MM-DD)");
        }
    }

    private static LocalDate addDays(LocalDate date, String days) throws ToolException {
        long n;
        try {
            n = Long.parseLong(days);
        } catch (NumberFormatException e) {
            throw new ToolException("invalid number of days '" + days + "' (expected a whole number)");
        }
        try {
            return inRange(date.plusDays(n));
        } catch (DateTimeException | ArithmeticException e) {
            throw new ToolException("date out of range (years 1 to 9999)");
        }
    }

    private static LocalDate inRange(LocalDate date) throws ToolException {
        if (date.isBefore(FIRST) || date.isAfter(LAST)) {
            throw new ToolException("date out of range (years 1 to 9999)");
        }
        return date;
    }
}
