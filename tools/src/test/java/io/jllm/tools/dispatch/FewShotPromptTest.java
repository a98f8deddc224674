package io.jllm.tools.dispatch;

import io.jllm.tools.Tool;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.calculator.Calculator;
import io.jllm.tools.calendar.Calendar;
import io.jllm.tools.wiki.TestCorpus;
import io.jllm.tools.wiki.WikiSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped few-shot prompts: every example call, read with the dispatcher's own syntax, shows the result
 * our tool really gives (WikiSearch over the test corpus), so the model learns from true examples.
 */
class FewShotPromptTest {

    @TempDir
    Path scratch;

    @Test
    void everyExampleShowsTheResultTheToolReallyGives() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
        try (ToolRegistry registry = new ToolRegistry().register(new Calculator()).register(new Calendar(clock))
                .register(new WikiSearch(TestCorpus.copy("corpus.jsonl", scratch), scratch.resolve("cache")))) {
            ToolRunner runner = new ToolRunner(registry);
            int checked = 0;
            for (Tool tool : registry.tools()) {
                String examples = FewShotPrompt.examples(tool);
                List<String> shown = new ArrayList<>();
                List<String> computed = new ArrayList<>();
                ToolformerSyntax syntax = new ToolformerSyntax(List.of("["));
                for (String line : examples.lines().toList()) {
                    Optional<CallRequest> call = syntax.accept(line);
                    if (call.isPresent()) {
                        String after = line.substring(line.indexOf('→') + 1);
                        shown.add(after.substring(0, after.indexOf(']')).strip());
                        ToolResult result = runner.run(call.get().tool(), call.get().arguments());
                        assertThat(result.error()).as(line).isNull();
                        computed.add(result.text());
                        assertThat(call.get().tool()).isEqualTo(tool.name());
                    }
                }
                assertThat(shown).as(tool.name()).isNotEmpty().isEqualTo(computed);
                checked += shown.size();
            }
            assertThat(checked).isEqualTo(6);
        }
    }

    @Test
    void thePromptEndsWithTheQuestionAndTheStartOfTheAnswer() {
        String prompt = FewShotPrompt.forTools(List.of(new Calculator())).render("  What is 3 plus 4? ");
        assertThat(prompt).startsWith("The answers below use tools.")
                .contains("[Calculator(400 / 1400) → 0.29]")
                .doesNotContain("Calendar(")
                .endsWith("\n\nQuestion: What is 3 plus 4?\nAnswer:");
        assertThat(prompt.split(FewShotPrompt.STOP, -1)).hasSize(5);
    }

    @Test
    void aToolWithoutExamplesIsNamed() {
        Tool unnamed = new Tool() {
            @Override
            public String name() {
                return "Weather";
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public String syntax() {
                return "";
            }

            @Override
            public String call(String arguments) {
                return "";
            }
        };
        assertThatThrownBy(() -> FewShotPrompt.forTools(List.of(unnamed)))
                .hasMessage("no few-shot examples for the tool Weather (expected io/jllm/tools/prompts/weather.txt)");
    }
}
