package io.jllm.engine.chat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real models' chat templates (test resources {@code chat-templates/}, sources in {@code SOURCES.md}) render
 * the prompts transformers' {@code apply_chat_template} gives. Each expected string was derived by reading
 * the template (the comments say how) and confirmed with Python jinja2 3.1.6 configured like transformers
 * ({@code chat-templates/render_reference.py} renders the same conversations).
 */
class ChatTemplateRealModelsTest {
    static final ChatMessage SYSTEM = ChatMessage.system("You are a helpful assistant.");
    static final List<ChatMessage> CHAT = List.of(
            ChatMessage.user("Hello!"),
            ChatMessage.assistant("Hi! How can I help?"),
            ChatMessage.user("What is 2+2?"));
    static final List<Map<String, Object>> TOOLS = List.of(ordered(
            "type", "function",
            "function", ordered(
                    "name", "get_weather",
                    "description", "Get the current weather in a city",
                    "parameters", ordered(
                            "type", "object",
                            "properties", Map.of("city", ordered("type", "string", "description", "City name")),
                            "required", List.of("city")))));
    /** A system prompt, a question, the assistant's call of get_weather and the tool's answer. */
    static final List<ChatMessage> TOOL_TURN = List.of(
            SYSTEM,
            ChatMessage.user("What's the weather in Paris?"),
            ChatMessage.assistantToolCalls(null, List.of(ordered(
                    "id", "call12345",
                    "type", "function",
                    "function", ordered("name", "get_weather", "arguments", Map.of("city", "Paris"))))),
            ChatMessage.tool("{\"temperature\": 18, \"unit\": \"celsius\"}", "call12345", "get_weather"));

    static List<ChatMessage> withSystem(List<ChatMessage> chat) {
        List<ChatMessage> all = new ArrayList<>(List.of(SYSTEM));
        all.addAll(chat);
        return all;
    }

    /** A map that keeps the given key order, as a JSON tool definition does. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static ChatTemplate template(String file, String bos, String eos) {
        try (InputStream in = ChatTemplateRealModelsTest.class.getResourceAsStream("/chat-templates/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new ChatTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8), bos, eos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Nested
    class SmolLM2 {
        final ChatTemplate t = template("HuggingFaceTB-SmolLM2-135M-Instruct.jinja", "<|im_start|>", "<|im_end|>");

        @Test
        void rendersChatMlTurnsAndTheAssistantPrompt() {
            // Each message is '<|im_start|>' + role + '\n' + content + '<|im_end|>\n'; the generation prompt
            // adds '<|im_start|>assistant\n'.
            assertThat(t.render(withSystem(CHAT), true)).isEqualTo(
                    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                            + "<|im_start|>user\nHello!<|im_end|>\n"
                            + "<|im_start|>assistant\nHi! How can I help?<|im_end|>\n"
                            + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                            + "<|im_start|>assistant\n");
        }

        @Test
        void insertsItsDefaultSystemPromptWhenTheFirstMessageIsNotSystem() {
            // loop.first and messages[0]['role'] != 'system' emits SmolLM's own system turn first.
            assertThat(t.render(List.of(ChatMessage.user("Hello!")), true)).isEqualTo(
                    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
                            + "<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n");
        }
    }

    @Nested
    class Gemma3 {
        final ChatTemplate t = template("google-gemma-3-270m-it.jinja", "<bos>", "<eos>");

        @Test
        void foldsTheSystemPromptIntoTheFirstUserTurnAndCallsTheAssistantModel() {
            // The system content + '\n\n' prefixes the first turn; 'assistant' becomes 'model'; content is
            // trimmed; '-' on every tag removes the template's own line breaks.
            assertThat(t.render(withSystem(CHAT), true)).isEqualTo(
                    "<bos><start_of_turn>user\nYou are a helpful assistant.\n\nHello!<end_of_turn>\n"
                            + "<start_of_turn>model\nHi! How can I help?<end_of_turn>\n"
                            + "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n"
                            + "<start_of_turn>model\n");
        }

        @Test
        void rendersContentPartsInOrderWithImagePlaceholders() {
            ChatMessage parts = new ChatMessage("user", List.of(Map.of("type", "image"),
                    Map.of("type", "text", "text", " Describe this. ")), null, null, null);
            assertThat(t.render(List.of(parts), true)).isEqualTo(
                    "<bos><start_of_turn>user\n<start_of_image>Describe this.<end_of_turn>\n<start_of_turn>model\n");
        }

        @Test
        void rejectsTwoUserTurnsInARow() {
            List<ChatMessage> twice = List.of(ChatMessage.user("Hello!"), ChatMessage.user("Hello!"));
            assertThatThrownBy(() -> t.render(twice, true))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessageContaining("Conversation roles must alternate user/assistant/user/assistant/...")
                    .satisfies(e -> assertThat(((ChatTemplateException) e).line()).isEqualTo(19));
        }
    }

    @Nested
    class Llama32 {
        final ChatTemplate t = template("meta-llama-Llama-3.2-3B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>");
        final Map<String, Object> date = Map.of("date_string", "26 Jul 2024");

        @Test
        void rendersHeadersWithTheKnowledgeAndTodayDates() {
            // The system turn always carries the two date lines; each turn is
            // '<|start_header_id|>' + role + '<|end_header_id|>\n\n' + content|trim + '<|eot_id|>'.
            assertThat(t.render(withSystem(CHAT), true, null, date)).isEqualTo(
                    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                            + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                            + "You are a helpful assistant.<|eot_id|>"
                            + "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\nHi! How can I help?<|eot_id|>"
                            + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        }

        @Test
        void putsToolsIntoTheFirstUserTurnAndToolResultsIntoIpythonTurns() {
            // tools_in_user_message defaults to true: the tools go, as tojson(indent=4), into the first user
            // turn; the call is rendered as {"name": ..., "parameters": arguments|tojson}; the tool result is
            // a string, and a string 'is iterable', so it is rendered through tojson (quoted).
            assertThat(t.render(TOOL_TURN, true, TOOLS, date)).isEqualTo(
                    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                            + "Environment: ipython\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                            + "You are a helpful assistant.<|eot_id|>"
                            + "<|start_header_id|>user<|end_header_id|>\n\n"
                            + "Given the following functions, please respond with a JSON for a function call with its"
                            + " proper arguments that best answers the given prompt.\n\n"
                            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument"
                            + " name and its value}.Do not use variables.\n\n"
                            + "{\n"
                            + "    \"type\": \"function\",\n"
                            + "    \"function\": {\n"
                            + "        \"name\": \"get_weather\",\n"
                            + "        \"description\": \"Get the current weather in a city\",\n"
                            + "        \"parameters\": {\n"
                            + "            \"type\": \"object\",\n"
                            + "            \"properties\": {\n"
                            + "                \"city\": {\n"
                            + "                    \"type\": \"string\",\n"
                            + "                    \"description\": \"City name\"\n"
                            + "                }\n"
                            + "            },\n"
                            + "            \"required\": [\n"
                            + "                \"city\"\n"
                            + "            ]\n"
                            + "        }\n"
                            + "    }\n"
                            + "}\n\n"
                            + "What's the weather in Paris?<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\n"
                            + "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"
                            + "<|start_header_id|>ipython<|end_header_id|>\n\n"
                            + "\"{\\\"temperature\\\": 18, \\\"unit\\\": \\\"celsius\\\"}\"<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        }

        @Test
        void refusesTwoToolCallsInOneTurn() {
            Map<String, Object> call = Map.of("function", Map.of("name", "f", "arguments", Map.of()));
            List<ChatMessage> messages = List.of(ChatMessage.user("go"),
                    ChatMessage.assistantToolCalls(null, List.of(call, call)));
            assertThatThrownBy(() -> t.render(messages, true, null, date))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessage("chat template line 72, column 17: This model only supports single tool-calls at once!");
        }
    }

    @Nested
    class Qwen25 {
        final ChatTemplate t = template("Qwen-Qwen2.5-7B-Instruct.jinja", "<|endoftext|>", "<|im_end|>");

        @Test
        void rendersChatMlTurns() {
            assertThat(t.render(withSystem(CHAT), true)).isEqualTo(
                    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                            + "<|im_start|>user\nHello!<|im_end|>\n"
                            + "<|im_start|>assistant\nHi! How can I help?<|im_end|>\n"
                            + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                            + "<|im_start|>assistant\n");
        }

        @Test
        void insertsTheQwenSystemPromptWhenThereIsNone() {
            assertThat(t.render(List.of(ChatMessage.user("Hello!")), true)).isEqualTo(
                    "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
                            + "<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n");
        }

        @Test
        void listsToolsAsCompactJsonAndWrapsCallsAndResultsInXmlTags() {
            // tools: one 'tool | tojson' per line (Python json.dumps separators ', ' and ': '); the call:
            // '<tool_call>\n{"name": "' + name + '", "arguments": ' + arguments|tojson + '}\n</tool_call>';
            // tool results go into a user turn inside <tool_response> tags.
            assertThat(t.render(TOOL_TURN, true, TOOLS, Map.of())).isEqualTo(
                    "<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\n"
                            + "You may call one or more functions to assist with the user query.\n\n"
                            + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                            + "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\":"
                            + " \"Get the current weather in a city\", \"parameters\": {\"type\": \"object\","
                            + " \"properties\": {\"city\": {\"type\": \"string\", \"description\": \"City name\"}},"
                            + " \"required\": [\"city\"]}}}\n</tools>\n\n"
                            + "For each function call, return a json object with function name and arguments within"
                            + " <tool_call></tool_call> XML tags:\n<tool_call>\n"
                            + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
                            + "<|im_start|>user\nWhat's the weather in Paris?<|im_end|>\n"
                            + "<|im_start|>assistant\n<tool_call>\n"
                            + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call><|im_end|>\n"
                            + "<|im_start|>user\n<tool_response>\n{\"temperature\": 18, \"unit\": \"celsius\"}\n"
                            + "</tool_response><|im_end|>\n"
                            + "<|im_start|>assistant\n");
        }
    }

    @Nested
    class Mistral7BV02 {
        final ChatTemplate t = template("mistralai-Mistral-7B-Instruct-v0.2.jinja", "<s>", "</s>");

        @Test
        void wrapsUserTurnsInInstTagsAndEndsAnswersWithEos() {
            assertThat(t.render(CHAT, true)).isEqualTo(
                    "<s>[INST] Hello! [/INST]Hi! How can I help?</s>[INST] What is 2+2? [/INST]");
        }

        @Test
        void rejectsASystemMessageThroughItsRaiseException() {
            // A system message at index 0 breaks (role == 'user') == (index0 % 2 == 0).
            assertThatThrownBy(() -> t.render(withSystem(CHAT), true))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessage("chat template line 1, column 110: "
                            + "Conversation roles must alternate user/assistant/user/assistant/...");
        }
    }

    @Nested
    class MistralNemo {
        final ChatTemplate t = template("mistralai-Mistral-Nemo-Instruct-2407.jinja", "<s>", "</s>");

        @Test
        void putsTheSystemPromptIntoTheLastUserTurn() {
            assertThat(t.render(withSystem(CHAT), true)).isEqualTo(
                    "<s>[INST]Hello![/INST]Hi! How can I help?</s>"
                            + "[INST]You are a helpful assistant.\n\nWhat is 2+2?[/INST]");
        }

        @Test
        void listsToolsBeforeTheLastUserTurnAndRendersCallsAndResultsWithTheirIds() {
            // Each tool's function is rebuilt key by key ('"key": "value"' for strings, val|tojson otherwise);
            // the call is function|tojson without its closing brace, plus the id; the result is
            // '[TOOL_RESULTS]{"content": ' + content|string + ', "call_id": "' + id + '"}[/TOOL_RESULTS]'.
            // The system prompt is dropped because the last message is not a user turn.
            assertThat(t.render(TOOL_TURN, true, TOOLS, Map.of())).isEqualTo(
                    "<s>[AVAILABLE_TOOLS][{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
                            + " \"description\": \"Get the current weather in a city\", \"parameters\":"
                            + " {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\","
                            + " \"description\": \"City name\"}}, \"required\": [\"city\"]}}}][/AVAILABLE_TOOLS]"
                            + "[INST]What's the weather in Paris?[/INST]"
                            + "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"},"
                            + " \"id\": \"call12345\"}]</s>"
                            + "[TOOL_RESULTS]{\"content\": {\"temperature\": 18, \"unit\": \"celsius\"},"
                            + " \"call_id\": \"call12345\"}[/TOOL_RESULTS]");
        }
    }
}
