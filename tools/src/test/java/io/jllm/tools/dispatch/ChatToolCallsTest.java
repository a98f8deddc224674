package io.jllm.tools.dispatch;

import io.jllm.engine.chat.ChatMessage;
import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.tools.ToolRegistry;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;
import io.jllm.tools.calculator.Calculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat models' own tool calls: the format is read from the real chat templates (the engine's test resources,
 * copied from the models' Hugging Face repositories), calls are parsed from their JSON, and the result goes
 * back as exactly what the template renders for a tool turn.
 */
class ChatToolCallsTest {

    private static String template(String file) throws IOException {
        try (InputStream in = ChatToolCallsTest.class.getResourceAsStream("/chat-templates/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "Qwen-Qwen2.5-7B-Instruct.jinja, HERMES",
            "meta-llama-Llama-3.2-3B-Instruct.jinja, LLAMA_JSON",
            "HuggingFaceTB-SmolLM2-135M-Instruct.jinja, ",
            "google-gemma-3-270m-it.jinja, ",
            "mistralai-Mistral-7B-Instruct-v0.2.jinja, ",
    })
    void theFormatIsReadFromTheTemplate(String file, ChatToolCalls.Format format) throws IOException {
        assertThat(ChatToolCalls.Format.of(template(file))).isEqualTo(Optional.ofNullable(format));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"Calculator\", \"arguments\": {\"input\": \"2+2\"}}      | Calculator | 2+2        |",
            "{\"name\": \"Calculator\", \"parameters\": {\"input\": \"2+2\"}}     | Calculator | 2+2        |",
            "{\"name\": \"Calendar\", \"arguments\": {\"op\": \"weekday\", \"date\": \"2027-03-15\"}} | Calendar | weekday, 2027-03-15 |",
            "{\"name\": \"Calculator\", \"arguments\": \"{\\\"input\\\": \\\"1+1\\\"}\"} | Calculator | 1+1  |",
            "{\"name\": \"Calculator\", \"arguments\": {\"x\": 3, \"y\": [1, 2]}}  | Calculator | 3, [1,2]   |",
            "{\"name\": \"Calendar\"}                                              | Calendar   | ''         |",
            "{\"name\": \"Calculator\", \"arguments\": [1]}                        | Calculator | [1]        | malformed call: the arguments must be a JSON object",
            "{\"arguments\": {}}                                                   | ?          | {\"arguments\": {}} | malformed call: no \"name\" string",
    })
    void jsonCallsBecomeToolAndArgumentText(String json, String tool, String arguments, String malformed) {
        CallRequest call = JsonCalls.parse(json);
        assertThat(call.tool()).isEqualTo(tool);
        assertThat(call.arguments()).isEqualTo(arguments);
        assertThat(call.malformed()).isEqualTo(malformed);
    }

    @Test
    void brokenJsonIsAMalformedCall() {
        assertThat(JsonCalls.parse("{\"name\": \"Calc").malformed()).startsWith("malformed call: not a JSON object");
    }

    @Test
    void hermesCallsAreFoundHoweverTheTextIsSplit() {
        String text = "Let me compute.\n<tool_call>\n{\"name\": \"Calculator\", \"arguments\": {\"input\": \"(1+2)*3\"}}\n"
                + "</tool_call>";
        for (int cut = 1; cut < text.length(); cut++) {
            HermesSyntax syntax = new HermesSyntax();
            assertThat(syntax.accept(text.substring(0, cut))).isEmpty();
            assertThat(syntax.accept(text.substring(cut))).as("cut at %d", cut)
                    .contains(CallRequest.of("Calculator", "(1+2)*3"));
        }
    }

    @Test
    void llamaCallsAreTheWholeAnswerAsAJsonObject() {
        String text = "<|python_tag|>{\"name\": \"Echo\", \"parameters\": {\"input\": \"a } and \\\" {\"}}";
        for (int cut = 1; cut < text.length(); cut++) {
            LlamaJsonSyntax syntax = new LlamaJsonSyntax();
            assertThat(syntax.accept(text.substring(0, cut))).isEmpty();
            assertThat(syntax.accept(text.substring(cut))).as("cut at %d", cut)
                    .contains(CallRequest.of("Echo", "a } and \" {"));
        }
        assertThat(new LlamaJsonSyntax().accept("The answer is {\"name\": \"Echo\"}")).isEmpty();
        assertThat(new LlamaJsonSyntax().accept("  \n{\"name\": \"Echo\"}")).contains(CallRequest.of("Echo", ""));
    }

    private final ByteTokenizer tokenizer = new ByteTokenizer();
    private final ToolRunner runner = new ToolRunner(new ToolRegistry().register(new Calculator()));

    private ToolUseResult converse(String file, Map<String, Object> context, String... script) throws IOException {
        ChatTemplate template = new ChatTemplate(template(file), "<bos>", "<eos>");
        ChatToolCalls chat = new ChatToolCalls(template, ChatToolCalls.Format.of(template(file)).orElseThrow(),
                tokenizer, List.of(new Calculator()), context);
        String prompt = chat.prompt(List.of(ChatMessage.user("What is 6 times 7?")));
        assertThat(prompt).contains("Calculator", "\"input\"");
        ToolDispatcher dispatcher = ToolDispatcher.chat(tokenizer, runner, chat, 3);
        return dispatcher.generate(Engine.of(new ScriptedTokens(tokenizer, tokenizer.pieces(script)))
                .newGenerator(4096, SamplerConfig.greedy()), prompt, GenerateOptions.maxTokens(20), piece -> { });
    }

    @Test
    void aQwenCallIsAnsweredWithTheTemplatesToolResponseTurn() throws IOException {
        ToolUseResult result = converse("Qwen-Qwen2.5-7B-Instruct.jinja", Map.of(),
                "<tool_call>\n{\"name\": \"Calculator\", \"arguments\": {\"input\": \"6*7\"}}", "\n</tool_call>",
                "It is 42.");

        assertThat(result.calls()).extracting(ToolResult::display).containsExactly("42");
        assertThat(result.text()).isEqualTo("""
                <tool_call>
                {"name": "Calculator", "arguments": {"input": "6*7"}}
                </tool_call><|im_end|>
                <|im_start|>user
                <tool_response>
                42
                </tool_response><|im_end|>
                <|im_start|>assistant
                It is 42.""");
    }

    @Test
    void aLlamaCallIsAnsweredWithTheTemplatesIpythonTurn() throws IOException {
        ToolUseResult result = converse("meta-llama-Llama-3.2-3B-Instruct.jinja", Map.of("date_string", "28 Nov 2026"),
                "{\"name\": \"Calculator\", ", "\"parameters\": {\"input\": \"6*7\"}}", "It is 42.");

        assertThat(result.calls()).extracting(ToolResult::display).containsExactly("42");
        assertThat(result.text()).isEqualTo("{\"name\": \"Calculator\", \"parameters\": {\"input\": \"6*7\"}}"
                + "<|eot_id|><|start_header_id|>ipython<|end_header_id|>\n\n\"42\"<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nIt is 42.");
    }
}
