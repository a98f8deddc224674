package io.jllm.engine.chat.session;

import io.jllm.engine.chat.ChatMessage;
import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.generate.Generator;
import io.jllm.engine.generate.Session;
import io.jllm.engine.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A multi-turn chat over one {@link Session}. Every turn renders the whole conversation with the model's chat
 * template, as templates are written to be used, and then runs through the model only the tokens after the
 * longest prefix the session already holds: earlier turns are computed once. Templates that rewrite earlier
 * turns (or a tokenization that differs at a turn boundary) just make the reused prefix shorter.
 * Not thread-safe.
 */
public final class Conversation {

    private final Session session;
    private final Generator generator;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final List<ChatMessage> opening;
    private final List<ChatMessage> turns = new ArrayList<>();

    /**
     * @param systemPrompt the system message that opens the conversation, or null to leave it to the template
     */
    public Conversation(Session session, Tokenizer tokenizer, ChatTemplate template, String systemPrompt) {
        this.session = session;
        this.generator = new Generator(session);
        this.tokenizer = tokenizer;
        this.template = template;
        this.opening = systemPrompt == null ? List.of() : List.of(ChatMessage.system(systemPrompt));
    }

    /**
     * Adds the user's message and generates the assistant's answer, which joins the conversation even when
     * cut short (by the listener, the token limit or a full context).
     *
     * @throws io.jllm.engine.chat.ChatTemplateException if the template fails on the conversation; nothing
     *                                                   is changed then
     */
    public Reply reply(String userText, GenerateOptions options, DecodeListener listener, Consumer<String> onText) {
        List<ChatMessage> asked = new ArrayList<>(messages());
        asked.add(ChatMessage.user(userText));
        int[] prompt = encode(template.render(asked, true));
        if (prompt.length >= session.capacity()) {
            return new Reply.PromptTooLong(prompt.length, session.capacity());
        }
        int reused = Math.min(commonPrefix(session.tokens(), prompt), prompt.length - 1);
        session.truncate(reused);
        GenerationResult result = generator.generate(Arrays.copyOfRange(prompt, reused, prompt.length), options,
                listener, onText);
        turns.add(ChatMessage.user(userText));
        turns.add(ChatMessage.assistant(result.text()));
        return new Reply.Answered(result, reused);
    }

    /** Forgets every turn (the system prompt stays) and empties the session. */
    public void reset() {
        turns.clear();
        session.reset();
    }

    /**
     * Forgets the oldest exchange (a user message and the answer to it) to make room; the next reply runs
     * the remaining conversation through the model again from where it starts to differ.
     *
     * @return false if there was nothing to drop
     */
    public boolean dropOldestExchange() {
        if (turns.isEmpty()) {
            return false;
        }
        turns.subList(0, 2).clear();
        return true;
    }

    /** The system prompt (if any) and the turns so far. */
    public List<ChatMessage> messages() {
        List<ChatMessage> all = new ArrayList<>(opening);
        all.addAll(turns);
        return List.copyOf(all);
    }

    /** Tokens the session holds now. */
    public int tokensInContext() {
        return session.position();
    }

    public int capacity() {
        return session.capacity();
    }

    /** Special-token text in the rendering is parsed; BOS is added unless the template already wrote it. */
    private int[] encode(String text) {
        int bos = tokenizer.bosToken();
        boolean templateWroteBos = bos >= 0 && text.startsWith(tokenizer.tokenText(bos));
        return tokenizer.encode(text, !templateWroteBos, true);
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
