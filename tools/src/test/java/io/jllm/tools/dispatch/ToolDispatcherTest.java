package io.jllm.tools.dispatch;

import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.StopReason;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.tools.Tool;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.calculator.Calculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Toolformer dispatcher over a scripted token source (no model): the script plays fixed tokens, the
 * dispatcher watches them through the real generation loop, runs the calls and injects the results. The
 * expected results are what the tools compute ({@code 400/1400} rounds to 0.29, as in the paper's example).
 */
class ToolDispatcherTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();
    private final ToolRegistry registry = new ToolRegistry()
            .register(new Calculator())
            .register(tool("Echo", arguments -> "<" + arguments + ">"))
            .register(tool("Boom", arguments -> {
                throw new IllegalStateException("kaput");
            }))
            .register(tool("Sleepy", arguments -> {
                Thread.sleep(10_000);
                return "late";
            }));
    private final ToolRunner runner = new ToolRunner(registry, Duration.ofSeconds(5), 1000, 4000);

    private interface Body {
        String call(String arguments) throws Exception;
    }

    private static Tool tool(String name, Body body) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public String syntax() {
                return name + "(x)";
            }

            @Override
            public String call(String arguments) {
                try {
                    return body.call(arguments);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private ToolUseResult generate(ScriptedTokens model, DispatchOptions options, int maxTokens) {
        ToolDispatcher dispatcher = ToolDispatcher.toolformer(tokenizer, runner, options);
        return dispatcher.generate(Engine.of(model).newGenerator(512, SamplerConfig.greedy()), "Q:",
                GenerateOptions.maxTokens(maxTokens), piece -> { });
    }

    private ToolUseResult generate(String... pieces) {
        return generate(new ScriptedTokens(tokenizer, tokenizer.pieces(pieces)), new DispatchOptions(3, 0), 100);
    }

    @Test
    void runsTheCallAtTheArrowInjectsTheResultAndGoesOn() {
        ToolUseResult result = generate(" The ratio is ", "[", "Calculator", "(", "400/1400", ")", " →", " so");

        assertThat(result.text()).isEqualTo(" The ratio is [Calculator(400/1400) → 0.29] so");
        assertThat(result.calls()).singleElement().satisfies(call -> {
            assertThat(call.tool()).isEqualTo("Calculator");
            assertThat(call.arguments()).isEqualTo("400/1400");
            assertThat(call.text()).isEqualTo("0.29");
            assertThat(call.error()).isNull();
            assertThat(call.duration()).isPositive();
        });
        assertThat(result.generation().stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
    }

    @Test
    void findsTheCallHoweverTheTokensSplitItEvenInsideACharacter() {
        byte[] call = "x [Calculator((400 / 1400) * 2) →".getBytes(StandardCharsets.UTF_8);
        int cases = 0;
        for (int i = 1; i < call.length; i++) {
            for (int j = i; j < call.length; j++) {
                int[] script = {
                        tokenizer.piece(Arrays.copyOfRange(call, 0, i)),
                        tokenizer.piece(Arrays.copyOfRange(call, i, j == i ? call.length : j)),
                        tokenizer.piece(Arrays.copyOfRange(call, j == i ? call.length : j, call.length)),
                        tokenizer.piece(" ok")};
                int[] played = j == i ? new int[] {script[0], script[1], script[3]} : script;
                ToolUseResult result = generate(new ScriptedTokens(tokenizer, played), new DispatchOptions(3, 0), 10);
                assertThat(result.text()).as("split at %d and %d", i, j)
                        .isEqualTo("x [Calculator((400 / 1400) * 2) → 0.57] ok");
                assertThat(result.calls()).extracting(ToolResult::arguments).containsExactly("(400 / 1400) * 2");
                cases++;
            }
        }
        assertThat(cases).isGreaterThan(500);
    }

    @Test
    void noSecondSpaceBeforeTheResultWhenTheArrowsTokenEndedWithOne() {
        assertThat(generate("[Calculator(1+1) → ", "ok").text()).isEqualTo("[Calculator(1+1) → 2]ok");
    }

    @Test
    void argumentsMayNestParenthesesBracketsBracesAndQuotedClosers() {
        ToolUseResult result = generate("[Echo(f([1, (2)], {a: [3]}), \")]\") ->", " done");
        assertThat(result.calls()).extracting(ToolResult::arguments)
                .containsExactly("f([1, (2)], {a: [3]}), \")]\"");
        assertThat(result.text()).isEqualTo("[Echo(f([1, (2)], {a: [3]}), \")]\") -> <f([1, (2)], {a: [3]}), \")]\">] done");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[Calculator(1+1)→      | [Calculator(1+1)→ 2]",
            "[Calculator(1+1)->     | [Calculator(1+1)-> 2]",
            "[Calculator(1+1) -> |    [Calculator(1+1) -> 2]",
            "'[ Calculator( 1+1 )  →' | [ Calculator( 1+1 )  → 2]",
    })
    void acceptsBothArrowsWithOrWithoutSpaces(String call, String expected) {
        assertThat(generate(call.strip()).text()).isEqualTo(expected.strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[Calculator(1+1)]               | no arrow: the model wrote its own result-less call",
            "[Calculator(1+1) - > 2]         | a dash and a bracket are not an arrow",
            "[Calc ulator(1+1) → 2]          | a name has no spaces",
            "[Calculator(1+1] → 2            | the bracket closed before the parenthesis",
            "(Calculator(1+1) → 2            | no opening bracket",
            "see [the docs](Calculator) → 2  | a markdown link",
    })
    void textThatOnlyLooksLikeACallIsLeftAlone(String text, String why) {
        ToolUseResult result = generate(text.strip());
        assertThat(result.calls()).as(why).isEmpty();
        assertThat(result.text()).isEqualTo(text.strip());
    }

    @Test
    void aCallAfterAnAbandonedOneIsStillFound() {
        ToolUseResult result = generate("[x] [Calc, ", "[Calculator(3*3) →");
        assertThat(result.text()).isEqualTo("[x] [Calc, [Calculator(3*3) → 9]");
    }

    @Test
    void aCallEndingOnTheLastAllowedTokenStillGetsItsResult() {
        ToolUseResult result = generate(new ScriptedTokens(tokenizer, tokenizer.pieces("[Calculator(", "2+2) →",
                " more")), new DispatchOptions(3, 0), 2);
        assertThat(result.text()).isEqualTo("[Calculator(2+2) → 4]");
        assertThat(result.generation().stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    }

    @Test
    void aFailingToolBecomesAnErrorResultAndGenerationGoesOn() {
        ToolUseResult result = generate("[Boom(now) →", " anyway");
        assertThat(result.text()).isEqualTo("[Boom(now) → error: Boom failed: IllegalStateException: kaput] anyway");
        assertThat(result.calls()).singleElement().satisfies(call -> {
            assertThat(call.succeeded()).isFalse();
            assertThat(call.error()).isEqualTo("Boom failed: IllegalStateException: kaput");
        });
    }

    @Test
    void aToolThatRejectsItsArgumentsAnswersWithItsMessage() {
        ToolUseResult result = generate("[Calculator(2+*3) →", " anyway");
        assertThat(result.calls()).singleElement().extracting(ToolResult::error).isNotNull();
        assertThat(result.text()).startsWith("[Calculator(2+*3) → error: ").endsWith("] anyway");
    }

    @Test
    void aSlowToolTimesOutAndGenerationGoesOn() {
        long start = System.nanoTime();
        ToolDispatcher dispatcher = ToolDispatcher.toolformer(tokenizer,
                new ToolRunner(registry, Duration.ofMillis(100), 1000, 4000), new DispatchOptions(3, 0));
        ToolUseResult result = dispatcher.generate(Engine.of(new ScriptedTokens(tokenizer, tokenizer.pieces(
                        "[Sleepy(zz) →", " anyway"))).newGenerator(64, SamplerConfig.greedy()), "Q",
                GenerateOptions.maxTokens(5), piece -> { });
        assertThat(result.text()).isEqualTo("[Sleepy(zz) → error: timed out after 100 ms] anyway");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anUnknownToolIsAnErrorResultNamingTheKnownOnes() {
        ToolUseResult result = generate("[Weather(Paris) →", " anyway");
        assertThat(result.text()).isEqualTo(
                "[Weather(Paris) → error: unknown tool 'Weather' (known: Calculator, Echo, Boom, Sleepy)] anyway");
    }

    @Test
    void anArrowInsideUnclosedArgumentsIsAMalformedCallThatIsNotRun() {
        ToolUseResult result = generate("[Echo(f([1, (2) →", " anyway");
        assertThat(result.text()).isEqualTo("[Echo(f([1, (2) → error: malformed call: missing ']))' before the arrow]"
                + " anyway");
        assertThat(result.calls()).singleElement().satisfies(call -> {
            assertThat(call.arguments()).isEqualTo("f([1, (2)");
            assertThat(call.duration()).isZero();
        });
    }

    @Test
    void callsBeyondTheLimitAreLeftToTheModel() {
        ToolUseResult result = generate(new ScriptedTokens(tokenizer, tokenizer.pieces(
                "[Calculator(1+1) →", " and ", "[Calculator(2+2) →", " 5]")), new DispatchOptions(1, 0), 10);
        assertThat(result.text()).isEqualTo("[Calculator(1+1) → 2] and [Calculator(2+2) → 5]");
        assertThat(result.calls()).hasSize(1);
    }

    @Test
    void topKForcingStartsACallWhenTheBracketIsAmongTheKMostLikely() {
        int bracket = tokenizer.piece("[");
        // Step 1 would write " four", but "[" is second most likely there: forced, the script then writes the call.
        ScriptedTokens model = new ScriptedTokens(tokenizer, tokenizer.pieces("2+2 is", " four",
                "Calculator(2+2) →", " four")).alsoLikely(1, bracket, 5f);

        ToolUseResult result = generate(model, new DispatchOptions(3, 2), 10);

        assertThat(result.text()).isEqualTo("2+2 is[Calculator(2+2) → 4] four");
        assertThat(model.sequence.toIntArray()).contains(bracket);
    }

    @Test
    void withoutForcingOrOutsideTheTopKTheSampledTokenStays() {
        int bracket = tokenizer.piece("[");
        for (DispatchOptions options : List.of(new DispatchOptions(3, 0), new DispatchOptions(3, 1))) {
            ScriptedTokens model = new ScriptedTokens(tokenizer, tokenizer.pieces("2+2 is", " four"))
                    .alsoLikely(1, bracket, 5f);
            assertThat(generate(model, options, 10).text()).as("%s", options).isEqualTo("2+2 is four");
        }
        ScriptedTokens unlikely = new ScriptedTokens(tokenizer, tokenizer.pieces("2+2 is", " four"))
                .alsoLikely(1, bracket, 0.35f);
        assertThat(generate(unlikely, new DispatchOptions(3, 10), 10).text()).isEqualTo("2+2 is four");
    }

    @Test
    void forcingStopsAfterMaxCallsOpenings() {
        int bracket = tokenizer.piece("[");
        ScriptedTokens model = new ScriptedTokens(tokenizer, tokenizer.pieces("a.", "b.", "c.", "d.", "e.", "f."));
        for (int step = 0; step < 6; step++) {
            model.alsoLikely(step, bracket, 5f);
        }
        // Not forced while a call is open ("b." ends it) nor after two openings.
        assertThat(generate(model, new DispatchOptions(2, 10), 10).text()).isEqualTo("[b.[d.e.f.");
    }

    @Test
    void usesThePapersApiTokensWhenTheVocabularyHasThem() {
        int open = tokenizer.control("<API>");
        int close = tokenizer.control("</API>");
        int[] script = {open, tokenizer.piece("Calculator(400 / 1400) →"), tokenizer.piece(" is small")};
        ScriptedTokens model = new ScriptedTokens(tokenizer, script);

        ToolUseResult result = generate(model, new DispatchOptions(3, 0), 10);

        assertThat(result.calls()).extracting(ToolResult::display).containsExactly("0.29");
        int[] tokens = result.generation().tokens();
        assertThat(tokenizer.tokenText(tokens[tokens.length - 2])).isEqualTo("</API>");
        assertThat(tokens[tokens.length - 2]).isEqualTo(close);
        // The control tokens decode to nothing in the visible text, as special tokens do.
        assertThat(result.text()).isEqualTo("Calculator(400 / 1400) → 0.29 is small");
    }

    @Test
    void apiTokensAreForcedFromTheTopK() {
        int open = tokenizer.control("<API>");
        tokenizer.control("</API>");
        ScriptedTokens model = new ScriptedTokens(tokenizer, tokenizer.pieces("x", "y", "Calculator(1+2) →"))
                .alsoLikely(1, open, 5f);
        ToolUseResult result = generate(model, new DispatchOptions(1, 10), 10);
        assertThat(result.calls()).extracting(ToolResult::display).containsExactly("3");
    }

    @Test
    void resultsWithLineBreaksStayInline() {
        ToolRegistry lines = new ToolRegistry().register(tool("Lines", arguments -> "one\ntwo\r\n\nthree\n"));
        ToolDispatcher dispatcher = ToolDispatcher.toolformer(tokenizer, new ToolRunner(lines),
                new DispatchOptions(3, 0));
        ToolUseResult result = dispatcher.generate(Engine.of(new ScriptedTokens(tokenizer,
                        tokenizer.pieces("[Lines() →"))).newGenerator(64, SamplerConfig.greedy()), "Q",
                GenerateOptions.maxTokens(5), piece -> { });
        assertThat(result.text()).isEqualTo("[Lines() → one two three]");
    }

    @Test
    void theDispatcherKeepsTheTraceOfEveryGeneration() {
        ToolDispatcher dispatcher = ToolDispatcher.toolformer(tokenizer, runner, new DispatchOptions(3, 0));
        var generator = Engine.of(new ScriptedTokens(tokenizer, tokenizer.pieces("[Echo(a) →", "[Echo(b) →")))
                .newGenerator(64, SamplerConfig.greedy());
        List<String> streamed = new ArrayList<>();
        ToolUseResult first = dispatcher.generate(generator, "Q", GenerateOptions.maxTokens(1), streamed::add);
        ToolUseResult second = dispatcher.generate(generator, "Q", GenerateOptions.maxTokens(1), streamed::add);
        assertThat(first.calls()).extracting(ToolResult::arguments).containsExactly("a");
        assertThat(second.calls()).extracting(ToolResult::arguments).containsExactly("b");
        assertThat(dispatcher.calls()).hasSize(2);
        assertThat(String.join("", streamed)).isEqualTo("[Echo(a) → <a>][Echo(b) → <b>]");
    }
}
