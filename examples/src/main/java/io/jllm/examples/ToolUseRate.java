package io.jllm.examples;

import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.tools.Tool;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.calculator.Calculator;
import io.jllm.tools.calendar.Calendar;
import io.jllm.tools.dispatch.DispatchOptions;
import io.jllm.tools.dispatch.FewShotPrompt;
import io.jllm.tools.dispatch.ToolDispatcher;
import io.jllm.tools.dispatch.ToolUseResult;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Measures how often a model uses the tools correctly on 20 questions written for jllm: greedy decoding, the
 * few-shot prompt of the tool the question needs, at most one call counted. A use is correct when the first
 * call goes to the right tool, runs without error and gives the expected answer, which Java computes here
 * independently of the tools ({@code 23 * 19}, {@code java.time}). Prints each question's outcome and the
 * totals, with and without Toolformer's top-k rule. A measurement, not a test.
 *
 * <pre>usage: ToolUseRate MODEL.gguf [TOP_K...]   (default: 0 10)</pre>
 */
public final class ToolUseRate {

    private record Question(String text, String tool, String expected) {
    }

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

    private static final List<Question> QUESTIONS = List.of(
            calc("What is 23 times 19?", 23 * 19),
            calc("What is 144 divided by 12?", 144 / 12),
            calc("How much is 1234 plus 5678?", 1234 + 5678),
            calc("What is 900 minus 456?", 900 - 456),
            calc("A book costs 12 dollars. How much do 7 books cost?", 12 * 7),
            calc("What is 15% of 80?", 80 * 15 / 100),
            calc("What is 45 times 45?", 45 * 45),
            calc("There are 365 days in a year. How many days are in 4 years?", 365 * 4),
            calc("What is 1000 divided by 8?", 1000 / 8),
            calc("How much is 37 plus 48 plus 59?", 37 + 48 + 59),
            calc("What is 2 to the power of 10?", 1 << 10),
            calc("A train travels 60 km per hour for 3 hours. How far does it go?", 60 * 3),
            calc("What is 81 divided by 9, times 4?", 81 / 9 * 4),
            calc("What is 7 times 8 minus 6?", 7 * 8 - 6),
            day("What day of the week is 2027-01-01?", LocalDate.of(2027, 1, 1).getDayOfWeek()),
            day("What day of the week is 2026-12-25?", LocalDate.of(2026, 12, 25).getDayOfWeek()),
            day("What day of the week was 2000-01-01?", LocalDate.of(2000, 1, 1).getDayOfWeek()),
            days("How many days are there from 2026-11-28 to 2026-12-25?", TODAY, LocalDate.of(2026, 12, 25)),
            days("How many days are there from 2027-01-01 to 2027-03-01?", LocalDate.of(2027, 1, 1),
                    LocalDate.of(2027, 3, 1)),
            days("How many days are there from 2026-01-01 to 2026-12-31?", LocalDate.of(2026, 1, 1),
                    LocalDate.of(2026, 12, 31)));

    private static Question calc(String text, int answer) {
        return new Question(text, "Calculator", Integer.toString(answer));
    }

    private static Question day(String text, DayOfWeek answer) {
        String name = answer.name();
        return new Question(text, "Calendar", name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT));
    }

    private static Question days(String text, LocalDate from, LocalDate to) {
        return new Question(text, "Calendar", Long.toString(ChronoUnit.DAYS.between(from, to)));
    }

    private ToolUseRate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ToolUseRate MODEL.gguf [TOP_K...]");
            System.exit(2);
        }
        List<Integer> topKs = args.length > 1
                ? List.of(args).subList(1, args.length).stream().map(Integer::parseInt).toList() : List.of(0, 10);
        Clock clock = Clock.fixed(TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (Engine engine = Engine.load(Path.of(args[0]), ModelOptions.defaults());
             ToolRegistry tools = new ToolRegistry().register(new Calculator()).register(new Calendar(clock))) {
            ToolRunner runner = new ToolRunner(tools);
            for (int topK : topKs) {
                int called = 0;
                int correct = 0;
                for (Question question : QUESTIONS) {
                    Tool tool = tools.find(question.tool()).orElseThrow();
                    String prompt = FewShotPrompt.forTools(List.of(tool)).render(question.text());
                    ToolDispatcher dispatcher = ToolDispatcher.toolformer(engine.tokenizer(), runner,
                            new DispatchOptions(1, topK));
                    ToolUseResult result = dispatcher.generate(engine.newGenerator(1024, SamplerConfig.greedy()),
                            prompt, GenerateOptions.maxTokens(40).withStopStrings(FewShotPrompt.STOP), piece -> { });
                    List<ToolResult> calls = result.calls();
                    boolean right = !calls.isEmpty() && calls.getFirst().tool().equalsIgnoreCase(question.tool())
                            && calls.getFirst().succeeded() && calls.getFirst().text().equals(question.expected());
                    called += calls.isEmpty() ? 0 : 1;
                    correct += right ? 1 : 0;
                    System.out.printf(Locale.ROOT, "top-k %2d  %-7s %s%n          %s%n", topK,
                            right ? "correct" : calls.isEmpty() ? "no call" : "wrong", question.text(),
                            result.text().strip().replace('\n', ' '));
                }
                System.out.printf(Locale.ROOT, "top-k %d: %d of %d questions called a tool, %d of %d correctly%n",
                        topK, called, QUESTIONS.size(), correct, QUESTIONS.size());
            }
        }
    }
}
