package io.jllm.engine.chat;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The variables ChatTemplate passes are those of transformers' apply_chat_template. */
class ChatTemplateTest {
    @Test
    void passesMessagesTokensAndTheGenerationFlag() {
        ChatTemplate t = new ChatTemplate("{{ bos_token }}{% for m in messages %}{{ m.role }}:{{ m.content }};"
                + "{% endfor %}{{ add_generation_prompt }}{{ eos_token }}", "<s>", "</s>");
        assertThat(t.render(List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo")), true))
                .isEqualTo("<s>user:hi;assistant:yo;True</s>");
    }

    @Test
    void toolsAreNoneWhenNotGivenAsInTransformers() {
        ChatTemplate t = new ChatTemplate("{{ tools is defined }} {{ tools is none }}", "", "");
        assertThat(t.render(List.of(), false)).isEqualTo("True True");
        assertThat(t.render(List.of(), false, List.of(Map.of("type", "function")), Map.of()))
                .isEqualTo("True False");
    }

    @Test
    void messagesCarryOnlyTheKeysThatAreSet() {
        ChatTemplate t = new ChatTemplate("{% for m in messages %}{{ m|tojson }}\n{% endfor %}", "", "");
        List<ChatMessage> messages = List.of(
                ChatMessage.assistantToolCalls(null, List.of(Map.of("id", "c1"))),
                ChatMessage.tool("42", "c1", "answer"));
        assertThat(t.render(messages, false)).isEqualTo(
                "{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c1\"}]}\n"
                        + "{\"role\": \"tool\", \"content\": \"42\", \"tool_call_id\": \"c1\", \"name\": \"answer\"}\n");
    }

    @Test
    void extraContextAddsAndOverridesVariables() {
        ChatTemplate t = new ChatTemplate("{{ bos_token }}|{{ date_string }}", "<s>", "");
        assertThat(t.render(List.of(), false, null, Map.of("date_string", "1 Jan 2025", "bos_token", "B")))
                .isEqualTo("B|1 Jan 2025");
    }

    @Test
    void strftimeNowReadsTheGivenClock() {
        Clock clock = Clock.fixed(Instant.parse("2025-02-03T00:00:00Z"), ZoneOffset.UTC);
        ChatTemplate t = new ChatTemplate("{{ strftime_now('%d %b %Y') }}", "", "", clock);
        assertThat(t.render(List.of(), false)).isEqualTo("03 Feb 2025");
    }
}
