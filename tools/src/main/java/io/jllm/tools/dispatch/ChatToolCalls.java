package io.jllm.tools.dispatch;

import io.jllm.engine.chat.ChatMessage;
import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.tools.Tool;
import io.jllm.tools.ToolResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tool use by a chat model in its own format, as its chat template defines it. The template is given the tool
 * definitions, the model answers with a call in the template's format, and the result goes back as the
 * template's tool turn: the injected tokens are exactly what the template renders between the model's call
 * and the next assistant turn (end of the assistant turn, tool turn, assistant header).
 *
 * <p>Each tool is offered with one string parameter, {@code input}, described by its syntax examples.
 */
public final class ChatToolCalls implements ResultInjection {

    /** The tool-call formats this class knows, recognised in the template text. */
    public enum Format {
        /** {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}: Hermes, Qwen 2.5 and later. */
        HERMES,
        /** A bare {@code {"name": ..., "parameters": {...}}} answer with an {@code ipython} tool turn: Llama 3.1+. */
        LLAMA_JSON;

        /** The format a chat template asks for, or empty when it has no tool calling this class knows. */
        public static Optional<Format> of(String template) {
            if (template.contains(HermesSyntax.OPEN) && template.contains("tool_response")) {
                return Optional.of(HERMES);
            }
            if (template.contains("ipython") && template.contains("\"parameters\"")) {
                return Optional.of(LLAMA_JSON);
            }
            return Optional.empty();
        }
    }

    private final ChatTemplate template;
    private final Format format;
    private final Tokenizer tokenizer;
    private final List<Map<String, Object>> definitions;
    private final Map<String, Object> extraContext;
    private final List<ChatMessage> conversation = new ArrayList<>();
    private String rendered;

    /**
     * @param extraContext further template variables (Llama's {@code date_string}), may be empty
     */
    public ChatToolCalls(ChatTemplate template, Format format, Tokenizer tokenizer, List<Tool> tools,
            Map<String, Object> extraContext) {
        this.template = template;
        this.format = format;
        this.tokenizer = tokenizer;
        this.definitions = definitions(tools);
        this.extraContext = Map.copyOf(extraContext);
    }

    /** The tool definitions handed to the template, in the OpenAI function-calling shape. */
    public static List<Map<String, Object>> definitions(List<Tool> tools) {
        List<Map<String, Object>> definitions = new ArrayList<>();
        for (Tool tool : tools) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("type", "string");
            input.put("description", "the call's arguments, as in: " + String.join("; ", tool.syntax().lines()
                    .map(line -> line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'))).toList()));
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("type", "object");
            parameters.put("properties", Map.of("input", input));
            parameters.put("required", List.of("input"));
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", tool.name());
            function.put("description", tool.description());
            function.put("parameters", parameters);
            definitions.add(Map.of("type", "function", "function", function));
        }
        return definitions;
    }

    /** A fresh recogniser for this format's calls. */
    public CallSyntax syntax() {
        return format == Format.HERMES ? new HermesSyntax() : new LlamaJsonSyntax();
    }

    /** Starts the conversation: the prompt text (with the tools and the assistant header) to generate from. */
    public String prompt(List<ChatMessage> messages) {
        conversation.clear();
        conversation.addAll(messages);
        rendered = template.render(conversation, true, definitions, extraContext);
        return rendered;
    }

    /**
     * @throws IllegalStateException when the template does not render the model's own call back verbatim, so
     *                               that no continuation can be cut out of it
     */
    @Override
    public int[] tokens(CallRequest call, ToolResult result, String turnText) {
        if (rendered == null) {
            throw new IllegalStateException("no conversation: call prompt(...) before generating");
        }
        conversation.add(ChatMessage.assistant(turnText));
        conversation.add(ChatMessage.tool(result.display(), null, call.tool()));
        String next = template.render(conversation, true, definitions, extraContext);
        String spoken = turnText.strip();
        int at = next.startsWith(rendered) ? next.indexOf(spoken, rendered.length()) : -1;
        if (at < 0) {
            throw new IllegalStateException("the chat template does not render the model's tool call back as"
                    + " written, so the tool turn cannot be appended: " + spoken);
        }
        rendered = next;
        return tokenizer.encode(next.substring(at + spoken.length()), false, true);
    }
}
