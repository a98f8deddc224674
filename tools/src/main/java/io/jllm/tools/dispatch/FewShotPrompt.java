package io.jllm.tools.dispatch;

import io.jllm.tools.Tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A few-shot prompt that shows a model Toolformer's inline calls, for models without a tool-calling chat
 * template: a header, then question-and-answer examples whose answers call the tools, then the user's question
 * and {@code Answer:}. The examples ship as resources ({@code io/jllm/tools/prompts/<tool>.txt}, written for
 * jllm in the spirit of the paper's prompts, with the results our tools really give). The generation should
 * stop at {@link #STOP}, where the model would start the next example.
 */
public final class FewShotPrompt {

    /** Where the model starts a new example after answering. */
    public static final String STOP = "\nQuestion:";

    private static final String RESOURCES = "/io/jllm/tools/prompts/";

    private final String examples;

    private FewShotPrompt(String examples) {
        this.examples = examples;
    }

    /**
     * The prompt for these tools: the examples of each, in order.
     *
     * @throws IllegalArgumentException for a tool without shipped examples
     */
    public static FewShotPrompt forTools(List<Tool> tools) {
        StringBuilder sb = new StringBuilder(load("header.txt")).append('\n');
        for (Tool tool : tools) {
            sb.append(examples(tool)).append('\n');
        }
        return new FewShotPrompt(sb.toString());
    }

    /** The example questions and answers shipped for {@code tool}, as they appear in the prompt. */
    public static String examples(Tool tool) {
        String file = tool.name().toLowerCase(Locale.ROOT) + ".txt";
        if (FewShotPrompt.class.getResource(RESOURCES + file) == null) {
            throw new IllegalArgumentException("no few-shot examples for the tool " + tool.name() + " (expected "
                    + RESOURCES.substring(1) + file + ")");
        }
        return load(file);
    }

    /** The prompt for {@code question}: the examples, the question and the start of the answer. */
    public String render(String question) {
        return examples + "Question: " + question.strip() + "\nAnswer:";
    }

    private static String load(String file) {
        try (InputStream in = FewShotPrompt.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
