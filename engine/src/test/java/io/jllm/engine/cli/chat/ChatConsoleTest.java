package io.jllm.engine.cli.chat;

import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.chat.session.Conversation;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat loop as a person (or a script piping lines) meets it, over a scripted model that answers "hello"
 * to everything, or, where a test needs a long answer, says "la" without end.
 */
@Timeout(10)
class ChatConsoleTest {

    private static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}"
            + "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private final FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "<|im_start|>", "<|im_end|>", "\n", "user",
            "assistant", "hi", "bye", "hello", "la");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream notes = new ByteArrayOutputStream();
    private ChatInput input;

    private ChatConsole console(ToIntFunction<int[]> script, int context, boolean interactive, boolean stats) {
        Conversation conversation = new Conversation(Engine.of(new ScriptedModel(tokenizer, 512, script))
                .newSession(context, SamplerConfig.greedy()), tokenizer, new ChatTemplate(CHATML, "", "<eos>"), null);
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new ChatConsole(conversation, input, outStream,
                interactive ? outStream : new PrintStream(notes, true, StandardCharsets.UTF_8), interactive, stats,
                GenerateOptions.maxTokens(GenerateOptions.UNLIMITED));
    }

    private ChatConsole piped(String lines) {
        input = ChatInput.reading(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
        return console(hello(), 256, false, false);
    }

    private ToIntFunction<int[]> hello() {
        return ScriptedModel.bigrams(tokenizer, "\n", "hello");
    }

    private ToIntFunction<int[]> la() {
        return ScriptedModel.bigrams(tokenizer, "\n", "la", "la", "la");
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String notes() {
        return notes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void answersEachPipedLineOnItsOwnLineAndEndsWithTheInput() throws InterruptedException {
        piped("hi\n\nbye\n").run();
        assertThat(out()).isEqualTo("hello\nhello\n");
        assertThat(notes()).isEmpty();
    }

    @Test
    void commandsResetHelpAndExit() throws InterruptedException {
        piped("hi\n/help\n/reset\n/shift\n/nope\n/exit\nbye\n").run();
        assertThat(out()).isEqualTo("hello\n");
        assertThat(notes()).isEqualTo(ChatConsole.COMMANDS + "\n[new conversation]\n[nothing to drop]\n"
                + "unknown command /nope; /help lists the commands\n");
    }

    @Test
    void ctrlCDuringAnAnswerStopsThatAnswerAndTheChatGoesOn() throws InterruptedException {
        input = ChatInput.reading(new ByteArrayInputStream("hi\n/exit\n".getBytes(StandardCharsets.UTF_8)));
        ToIntFunction<int[]> la = la();
        // Ctrl-C arrives while the model computes what follows the second "la"; that "la" is the last one.
        ToIntFunction<int[]> pressCtrlC = sequence -> {
            if (sequence.length == 9 + 2) {
                input.interrupt();
            }
            return la.applyAsInt(sequence);
        };
        console(pressCtrlC, 256, false, false).run();
        assertThat(out()).isEqualTo("lalala\n");
        assertThat(notes()).isEqualTo("[interrupted]\n");
    }

    @Test
    void ctrlCAtThePromptWarnsOnceAndASecondInARowQuits() throws InterruptedException, IOException {
        PipedOutputStream keyboard = new PipedOutputStream();
        input = ChatInput.reading(new PipedInputStream(keyboard));
        ChatConsole console = console(hello(), 256, false, false);
        input.interrupt();
        keyboard.write("hi\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        Thread.sleep(100);
        input.interrupt();
        input.interrupt();
        console.run();
        assertThat(out()).isEqualTo("\nhello\n\n\n");
        assertThat(notes()).isEqualTo("(Ctrl-C again or /exit to quit)\n(Ctrl-C again or /exit to quit)\n");
    }

    @Test
    void aFullContextIsExplainedAndShiftMakesRoom() throws InterruptedException {
        input = ChatInput.reading(new ByteArrayInputStream("hi\nbye\n/shift\nbye\n".getBytes(StandardCharsets.UTF_8)));
        // 9 prompt tokens, then "la" until the 12-token context is full. The next turn would need 6 (hi) + 8
        // (lalala) + 6 (bye) + 3 (answer prompt) = 23 tokens.
        console(la(), 12, false, false).run();
        assertThat(out()).isEqualTo("lalala\nlalala\n");
        assertThat(notes()).isEqualTo("""
                [the context is full (12 tokens), so the answer was cut off: /shift drops the oldest exchange, \
                /reset starts over]
                [the conversation would need 23 tokens but the context holds 12: /shift drops the oldest exchange, \
                /reset starts over, or start again with a larger --ctx]
                [dropped the oldest exchange; the rest runs through the model again with the next message]
                [the context is full (12 tokens), so the answer was cut off: /shift drops the oldest exchange, \
                /reset starts over]
                """);
    }

    @Test
    void statsReportBothSpeedsAndTheReusedTokens() throws InterruptedException {
        input = ChatInput.reading(new ByteArrayInputStream("hi\nbye\n".getBytes(StandardCharsets.UTF_8)));
        console(hello(), 256, false, true).run();
        // Turn 1: 9 prompt tokens, "hello" and the end token sampled. Turn 2 reuses those 9 and "hello".
        assertThat(notes().lines()).satisfiesExactly(
                first -> assertThat(first).matches("\\[prompt: 9 new tokens \\(0 reused\\) in \\d+\\.\\d\\d s,"
                        + " \\d+\\.\\d tokens/s \\| answer: 2 tokens in \\d+\\.\\d\\d s, \\d+\\.\\d tokens/s \\|"
                        + " context: 10 of 256]"),
                second -> assertThat(second).startsWith("[prompt: 11 new tokens (10 reused) in ")
                        .endsWith("context: 22 of 256]"));
    }

    @Test
    void aTerminalGetsAPromptAndTheNotesInline() throws InterruptedException {
        input = ChatInput.reading(new ByteArrayInputStream("hi\n/reset\n".getBytes(StandardCharsets.UTF_8)));
        console(hello(), 256, true, false).run();
        assertThat(out()).isEqualTo("> hello\n\n> [new conversation]\n> \n");
    }
}
