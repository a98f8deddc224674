package io.jllm.tools.dispatch;

import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.calculator.Calculator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real SmolLM2-135M-Instruct with the few-shot Toolformer prompt: greedy decoding writes a calculator call,
 * the dispatcher runs it, and the injected result is in the text. Needs the model (scripts/fetch-models
 * smollm2); fails, never skips, when it is missing.
 */
@Tag("models")
class SmolLm2ToolUseTest {

    private static Path model() {
        String dir = System.getenv("JLLM_MODELS_DIR");
        Path folder = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "jllm", "models");
        Path model = folder.resolve("SmolLM2-135M-Instruct.Q4_1.gguf");
        assertThat(Files.isRegularFile(model)).as("the SmolLM2 model %s is missing: run scripts/fetch-models smollm2",
                model).isTrue();
        return model;
    }

    @Test
    void aCalculatorQuestionGetsACallWhoseResultIsInjected() throws Exception {
        try (Engine engine = Engine.load(model(), ModelOptions.defaults());
             ToolRegistry tools = new ToolRegistry().register(new Calculator())) {
            ToolDispatcher dispatcher = ToolDispatcher.toolformer(engine.tokenizer(), new ToolRunner(tools),
                    new DispatchOptions(3, 0));
            String prompt = FewShotPrompt.forTools(tools.tools()).render("What is 23 times 19?");

            ToolUseResult result = dispatcher.generate(engine.newGenerator(1024, SamplerConfig.greedy()), prompt,
                    GenerateOptions.maxTokens(40).withStopStrings(FewShotPrompt.STOP), piece -> { });

            assertThat(result.calls()).as(result.text()).isNotEmpty();
            ToolResult call = result.calls().getFirst();
            assertThat(call.tool()).isEqualTo("Calculator");
            assertThat(call.succeeded()).as(call.display()).isTrue();
            assertThat(result.text()).contains("[Calculator(" + call.arguments() + ") → " + call.text() + "]");
            assertThat(List.of(call.arguments().replace(" ", ""))).containsAnyOf("23*19", "19*23");
            assertThat(call.text()).isEqualTo(Integer.toString(23 * 19));
        }
    }
}
