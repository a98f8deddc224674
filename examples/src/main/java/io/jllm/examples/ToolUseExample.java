package io.jllm.examples;

import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.Generator;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
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

/**
 * Toolformer-style tool use in a few lines: the model reads a few-shot prompt showing inline calls, writes
 * {@code [Calculator(23 * 19) →}, the dispatcher runs the calculator and injects {@code 437]}, and the model
 * goes on with the result in its context.
 *
 * <pre>usage: ToolUseExample MODEL.gguf "What is 23 times 19?"</pre>
 */
public final class ToolUseExample {

    private ToolUseExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ToolUseExample MODEL.gguf QUESTION");
            System.exit(2);
        }
        try (Engine engine = Engine.load(Path.of(args[0]), ModelOptions.defaults());
             ToolRegistry tools = new ToolRegistry().register(new Calculator())
                     .register(new Calendar(Clock.systemDefaultZone()))) {
            Generator generator = engine.newGenerator(2048, SamplerConfig.greedy());
            ToolDispatcher dispatcher = ToolDispatcher.toolformer(engine.tokenizer(), new ToolRunner(tools),
                    new DispatchOptions(DispatchOptions.DEFAULT_MAX_CALLS, 0));
            String prompt = FewShotPrompt.forTools(tools.tools()).render(args[1]);

            ToolUseResult result = dispatcher.generate(generator, prompt,
                    GenerateOptions.maxTokens(64).withStopStrings(FewShotPrompt.STOP), System.out::print);

            System.out.println();
            for (ToolResult call : result.calls()) {
                System.out.printf("call: %s(%s) -> %s in %d ms%n", call.tool(), call.arguments(), call.display(),
                        call.duration().toMillis());
            }
        }
    }
}
