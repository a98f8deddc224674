package io.jllm.engine.chat.session;

import io.jllm.engine.chat.ChatMessage;
import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.generate.Decision;
import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.StopReason;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conversation over a scripted model with a ChatML-like template: what runs through the model on each
 * turn, and how a reset, a full context and an interrupted answer leave the conversation.
 */
class ConversationTest {

    /** Each message is {@code <|im_start|>ROLE \n CONTENT <|im_end|> \n}; the generation prompt opens the answer. */
    static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
            + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private final FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "<|im_start|>", "<|im_end|>", "\n",
            "system", "user", "assistant", "be brief", "hi", "hello", "bye", "la");
    /** The model answers "hello" to anything and then ends its turn. */
    private final ScriptedModel model = new ScriptedModel(tokenizer, 256,
            ScriptedModel.bigrams(tokenizer, "\n", "hello"));
    private final List<String> streamed = new ArrayList<>();

    private Conversation conversation(int context, String system) {
        return new Conversation(Engine.of(model).newSession(context, SamplerConfig.greedy()), tokenizer,
                new ChatTemplate(CHATML, "", "<eos>"), system);
    }

    private Reply.Answered say(Conversation conversation, String text) {
        return say(conversation, text, DecodeListener.none());
    }

    private Reply.Answered say(Conversation conversation, String text, DecodeListener listener) {
        Reply reply = conversation.reply(text, GenerateOptions.maxTokens(GenerateOptions.UNLIMITED), listener,
                streamed::add);
        assertThat(reply).isInstanceOf(Reply.Answered.class);
        return (Reply.Answered) reply;
    }

    private int[] turn(String role, String content) {
        return tokenizer.ids("<|im_start|>", role, "\n", content, "<|im_end|>", "\n");
    }

    private int[] answerPrompt() {
        return tokenizer.ids("<|im_start|>", "assistant", "\n");
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    @Test
    void theFirstTurnRunsTheWholeRenderedConversation() {
        Conversation chat = conversation(64, "be brief");
        Reply.Answered reply = say(chat, "hi");
        assertThat(model.batches.getFirst()).containsExactly(concat(turn("system", "be brief"), turn("user", "hi"),
                answerPrompt()));
        assertThat(reply.reusedTokens()).isZero();
        assertThat(reply.result().text()).isEqualTo("hello");
        assertThat(streamed).containsExactly("hello");
        assertThat(chat.messages()).containsExactly(ChatMessage.system("be brief"), ChatMessage.user("hi"),
                ChatMessage.assistant("hello"));
    }

    @Test
    void theSecondTurnRunsOnlyTheTokensAfterWhatTheCacheAlreadyHolds() {
        Conversation chat = conversation(64, "be brief");
        say(chat, "hi");
        int firstPrompt = model.batches.getFirst().length;
        model.batches.clear();

        Reply.Answered reply = say(chat, "bye");

        // The cache holds the first prompt and the answer "hello" (the end-of-generation token never enters
        // it), so the turn starts at the "<|im_end|>" that closes that answer in the re-rendered conversation.
        assertThat(reply.reusedTokens()).isEqualTo(firstPrompt + 1);
        assertThat(model.batches.getFirst()).containsExactly(concat(tokenizer.ids("<|im_end|>", "\n"),
                turn("user", "bye"), answerPrompt()));
        assertThat(reply.result().timings().promptTokens()).isEqualTo(model.batches.getFirst().length);
        assertThat(model.cache.tokens.toIntArray()).containsExactly(concat(turn("system", "be brief"),
                turn("user", "hi"), turn("assistant", "hello"), turn("user", "bye"), answerPrompt(),
                tokenizer.ids("hello")));
    }

    @Test
    void withoutASystemPromptTheConversationStartsWithTheUser() {
        Conversation chat = conversation(64, null);
        say(chat, "hi");
        assertThat(model.batches.getFirst()).containsExactly(concat(turn("user", "hi"), answerPrompt()));
    }

    @Test
    void resetForgetsTheTurnsAndEmptiesTheCache() {
        Conversation chat = conversation(64, "be brief");
        say(chat, "hi");
        chat.reset();
        assertThat(chat.messages()).containsExactly(ChatMessage.system("be brief"));
        assertThat(chat.tokensInContext()).isZero();
        model.batches.clear();

        Reply.Answered reply = say(chat, "bye");
        assertThat(reply.reusedTokens()).isZero();
        assertThat(model.batches.getFirst()).containsExactly(concat(turn("system", "be brief"), turn("user", "bye"),
                answerPrompt()));
    }

    @Test
    void aMessageThatLeavesNoRoomForAnAnswerIsRefusedAndChangesNothing() {
        // system (6) + user (6) + answer prompt (3) = 15 tokens: a 15-token context has no room for an answer.
        Conversation chat = conversation(15, "be brief");
        Reply reply = chat.reply("hi", GenerateOptions.maxTokens(8), DecodeListener.none(), streamed::add);
        assertThat(reply).isEqualTo(new Reply.PromptTooLong(15, 15));
        assertThat(chat.messages()).containsExactly(ChatMessage.system("be brief"));
        assertThat(model.batches).isEmpty();
    }

    @Test
    void anAnswerCutOffByAFullContextStaysAndDroppingTheOldestExchangeMakesRoom() {
        // The model says "la" forever; the 9 prompt tokens leave room for 3 of them in 12.
        ScriptedModel chatty = new ScriptedModel(tokenizer, 64, ScriptedModel.bigrams(tokenizer, "\n", "la", "la", "la"));
        Conversation chat = new Conversation(Engine.of(chatty).newSession(12, SamplerConfig.greedy()), tokenizer,
                new ChatTemplate(CHATML, "", "<eos>"), null);
        Reply.Answered first = say(chat, "hi");
        assertThat(first.result().stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(first.result().text()).isEqualTo("lalala");
        assertThat(chat.messages()).last().isEqualTo(ChatMessage.assistant("lalala"));

        assertThat(chat.reply("bye", GenerateOptions.maxTokens(2), DecodeListener.none(), streamed::add))
                .isInstanceOf(Reply.PromptTooLong.class);
        assertThat(chat.dropOldestExchange()).isTrue();
        assertThat(chat.messages()).isEmpty();
        chatty.batches.clear();

        Reply.Answered after = (Reply.Answered) chat.reply("bye", GenerateOptions.maxTokens(2), DecodeListener.none(),
                streamed::add);
        // Nothing of the old conversation matches the new start beyond "<|im_start|>user\n".
        assertThat(after.reusedTokens()).isEqualTo(3);
        assertThat(chatty.batches.getFirst()).containsExactly(concat(tokenizer.ids("bye", "<|im_end|>", "\n"),
                answerPrompt()));
        assertThat(after.result().text()).isEqualTo("lala");
        assertThat(chat.dropOldestExchange()).isTrue();
        assertThat(chat.dropOldestExchange()).isFalse();
    }

    @Test
    void anInterruptedAnswerKeepsWhatWasSaidAndTheNextTurnBuildsOnIt() {
        ScriptedModel chatty = new ScriptedModel(tokenizer, 64, ScriptedModel.bigrams(tokenizer, "\n", "la", "la", "la"));
        Conversation chat = new Conversation(Engine.of(chatty).newSession(64, SamplerConfig.greedy()), tokenizer,
                new ChatTemplate(CHATML, "", "<eos>"), null);
        // The prompt takes positions 0..8, so the second "la" of the answer lands on position 10.
        DecodeListener stopAtTheSecond = (token, position, logits) -> position == 10 ? Decision.STOP
                : Decision.CONTINUE;

        Reply.Answered reply = say(chat, "hi", stopAtTheSecond);
        assertThat(reply.result().stopReason()).isEqualTo(StopReason.LISTENER_STOP);
        assertThat(reply.result().text()).isEqualTo("lala");
        assertThat(chat.messages()).containsExactly(ChatMessage.user("hi"), ChatMessage.assistant("lala"));

        int held = chat.tokensInContext();
        chatty.batches.clear();
        Reply.Answered next = say(chat, "bye", (token, position, logits) -> Decision.STOP);
        assertThat(next.reusedTokens()).isEqualTo(held);
        // The last "la" had entered the session without running through the model (that waits until logits
        // are needed), so it runs now, ahead of the rest of the turn.
        assertThat(chatty.batches.getFirst()).containsExactly(concat(tokenizer.ids("la", "<|im_end|>", "\n"),
                turn("user", "bye"), answerPrompt()));
    }

    @Test
    void bosIsAddedAsTheVocabularyAsksButNotTwiceWhenTheTemplateWritesIt() {
        FakeTokenizer withBos = new FakeTokenizer("<eos>", "<bos>", "<|im_start|>", "<|im_end|>", "\n", "user",
                "assistant", "hi", "hello");
        ScriptedModel bosModel = new ScriptedModel(withBos, 64, ScriptedModel.bigrams(withBos, "\n", "hello"));
        Conversation plain = new Conversation(Engine.of(bosModel).newSession(64, SamplerConfig.greedy()), withBos,
                new ChatTemplate(CHATML, "<bos>", "<eos>"), null);
        plain.reply("hi", GenerateOptions.maxTokens(1), DecodeListener.none(), streamed::add);
        assertThat(bosModel.batches.getFirst()).startsWith(withBos.ids("<bos>", "<|im_start|>", "user"));

        ScriptedModel bosModel2 = new ScriptedModel(withBos, 64, ScriptedModel.bigrams(withBos, "\n", "hello"));
        Conversation writesBos = new Conversation(Engine.of(bosModel2).newSession(64, SamplerConfig.greedy()),
                withBos, new ChatTemplate("{{ bos_token }}" + CHATML, "<bos>", "<eos>"), null);
        writesBos.reply("hi", GenerateOptions.maxTokens(1), DecodeListener.none(), streamed::add);
        assertThat(bosModel2.batches.getFirst()).startsWith(withBos.ids("<bos>", "<|im_start|>", "user"));
    }
}
