package io.jllm.engine.cli.chat;

import io.jllm.engine.chat.ChatTemplateException;
import io.jllm.engine.chat.session.Conversation;
import io.jllm.engine.chat.session.Reply;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.generate.Timings;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The chat loop: reads messages and commands from a {@link ChatInput}, streams each answer to {@code out}
 * and reports everything else (interruptions, a full context, speed) on {@code notes}. At a terminal it
 * shows a prompt; with piped input it just answers line after line.
 */
public final class ChatConsole {

    /** The text of {@code /help}. */
    public static final String COMMANDS = """
            Type a message and press Enter. Commands:
              /reset   start a new conversation
              /shift   drop the oldest exchange to make room in the context
              /help    show this list
              /exit    quit (so do Ctrl-D, and Ctrl-C twice at the prompt)
            Ctrl-C during an answer stops the answer.""";

    private final Conversation conversation;
    private final ChatInput input;
    private final PrintStream out;
    private final PrintStream notes;
    private final boolean interactive;
    private final boolean stats;
    private final GenerateOptions options;

    /**
     * @param interactive show a prompt (input comes from a person at a terminal)
     * @param stats       report prompt and generation speed after each answer
     */
    public ChatConsole(Conversation conversation, ChatInput input, PrintStream out, PrintStream notes,
            boolean interactive, boolean stats, GenerateOptions options) {
        this.conversation = conversation;
        this.input = input;
        this.out = out;
        this.notes = notes;
        this.interactive = interactive;
        this.stats = stats;
        this.options = options;
    }

    /** Runs until /exit, the end of input or a second Ctrl-C in a row at the prompt. */
    public void run() throws InterruptedException {
        boolean interruptedAtPrompt = false;
        prompt();
        while (true) {
            switch (input.next()) {
                case ChatInput.End end -> {
                    if (interactive) {
                        out.println();
                    }
                    return;
                }
                case ChatInput.Interrupt interrupt -> {
                    if (interruptedAtPrompt) {
                        out.println();
                        return;
                    }
                    interruptedAtPrompt = true;
                    out.println();
                    note("(Ctrl-C again or /exit to quit)");
                }
                case ChatInput.Line line -> {
                    interruptedAtPrompt = false;
                    if (!handle(line.text().strip())) {
                        return;
                    }
                }
            }
            prompt();
        }
    }

    /** Handles one line; false when it asks to quit. */
    private boolean handle(String text) {
        if (text.isEmpty()) {
            return true;
        }
        switch (text) {
            case "/exit", "/quit" -> {
                return false;
            }
            case "/reset" -> {
                conversation.reset();
                note("[new conversation]");
            }
            case "/shift" -> note(conversation.dropOldestExchange()
                    ? "[dropped the oldest exchange; the rest runs through the model again with the next message]"
                    : "[nothing to drop]");
            case "/help" -> note(COMMANDS);
            default -> {
                if (text.startsWith("/") && !text.contains(" ")) {
                    note("unknown command " + text + "; /help lists the commands");
                } else {
                    answer(text);
                }
            }
        }
        return true;
    }

    private void answer(String text) {
        input.beginAnswer();
        Reply reply;
        try {
            reply = conversation.reply(text, options, input.stopListener(), piece -> {
                out.print(piece);
                out.flush();
            });
        } catch (ChatTemplateException e) {
            note("the chat template failed on this conversation: " + e.getMessage());
            return;
        } finally {
            input.endAnswer();
        }
        switch (reply) {
            case Reply.PromptTooLong tooLong -> note(String.format(Locale.ROOT, "[the conversation would need %d"
                    + " tokens but the context holds %d: /shift drops the oldest exchange, /reset starts over,"
                    + " or start again with a larger --ctx]", tooLong.promptTokens(), tooLong.capacity()));
            case Reply.Answered answered -> {
                out.println();
                if (interactive) {
                    out.println();
                }
                explainStop(answered.result());
                if (stats) {
                    note(stats(answered));
                }
            }
        }
    }

    private void explainStop(GenerationResult result) {
        switch (result.stopReason()) {
            case LISTENER_STOP -> note("[interrupted]");
            case CONTEXT_FULL -> note(String.format(Locale.ROOT, "[the context is full (%d tokens), so the answer"
                    + " was cut off: /shift drops the oldest exchange, /reset starts over]", conversation.capacity()));
            case MAX_TOKENS -> note("[the answer reached the -n limit of " + options.maxTokens() + " tokens]");
            case END_OF_GENERATION, STOP_STRING -> {
            }
        }
    }

    private String stats(Reply.Answered answered) {
        Timings t = answered.result().timings();
        return String.format(Locale.ROOT, "[prompt: %d new tokens (%d reused) in %.2f s, %.1f tokens/s |"
                        + " answer: %d tokens in %.2f s, %.1f tokens/s | context: %d of %d]", t.promptTokens(),
                answered.reusedTokens(), t.promptNanos() / 1e9, t.promptTokensPerSecond(), t.generatedTokens(),
                t.generationNanos() / 1e9, t.generationTokensPerSecond(), conversation.tokensInContext(),
                conversation.capacity());
    }

    private void prompt() {
        if (interactive) {
            out.print("> ");
            out.flush();
        }
    }

    private void note(String text) {
        notes.println(text);
        notes.flush();
    }
}
