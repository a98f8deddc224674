package io.jllm.engine.chat;

import io.jllm.engine.chat.jinja.JinjaTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template (the GGUF key {@code tokenizer.chat_template}), rendered the way Hugging Face
 * transformers' {@code apply_chat_template} renders it: variables {@code messages}, {@code tools} (None when
 * not given), {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, then the extra context.
 * Immutable and safe to share between threads.
 */
public final class ChatTemplate {
    private final JinjaTemplate template;
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;

    /** Parses the template; throws {@link ChatTemplateException} naming the line and column of a syntax error. */
    public ChatTemplate(String template, String bosToken, String eosToken) {
        this(template, bosToken, eosToken, Clock.systemDefaultZone());
    }

    /** As {@link #ChatTemplate(String, String, String)}, with the clock that {@code strftime_now} reads. */
    public ChatTemplate(String template, String bosToken, String eosToken, Clock clock) {
        this.template = JinjaTemplate.parse(Objects.requireNonNull(template, "template"));
        this.bosToken = Objects.requireNonNull(bosToken, "bosToken");
        this.eosToken = Objects.requireNonNull(eosToken, "eosToken");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, null, Map.of());
    }

    /**
     * Renders the conversation into the prompt text.
     *
     * @param tools        tool definitions (JSON-schema maps, e.g. {@code {type: function, function: {...}}}), or
     *                     null for none
     * @param extraContext further template variables (e.g. {@code date_string}); they override the others
     * @throws ChatTemplateException when the template fails, including its own {@code raise_exception}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, List<Map<String, Object>> tools,
            Map<String, Object> extraContext) {
        List<Object> messageValues = new ArrayList<>(messages.size());
        messages.forEach(m -> messageValues.add(m.toTemplateValue()));
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("messages", messageValues);
        vars.put("tools", tools);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        vars.putAll(extraContext);
        return template.render(vars, clock);
    }
}
