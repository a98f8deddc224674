package io.jllm.engine.cli.chat;

import io.jllm.engine.generate.Decision;
import io.jllm.engine.generate.DecodeListener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What a chat reacts to, in arrival order: lines of input, the end of input and Ctrl-C. Lines are read on a
 * daemon thread so that a Ctrl-C reaches the chat while it waits at the prompt. A Ctrl-C during an answer
 * does not queue an event: it makes {@link #stopListener()} stop that answer.
 */
public final class ChatInput {

    /** Something the chat reacts to. */
    public sealed interface Event permits Line, End, Interrupt {
    }

    /** A line of input, without its line terminator. */
    public record Line(String text) implements Event {
    }

    /** The input ended (or could not be read further). */
    public record End() implements Event {
    }

    /** Ctrl-C while no answer was running. */
    public record Interrupt() implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private boolean answering;
    private boolean stopRequested;

    private ChatInput() {
    }

    /** Starts reading lines (UTF-8) from {@code in}. */
    public static ChatInput reading(InputStream in) {
        ChatInput input = new ChatInput();
        Thread.ofPlatform().daemon().name("chat-input").start(() -> input.readLines(in));
        return input;
    }

    private void readLines(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                events.add(new Line(line));
            }
        } catch (IOException e) {
            // an unreadable input ends the chat like the end of input does
        }
        events.add(new End());
    }

    /** Waits for the next event. */
    public Event next() throws InterruptedException {
        return events.take();
    }

    /** Ctrl-C arrived: stops the running answer, or becomes an {@link Interrupt} event at the prompt. */
    public synchronized void interrupt() {
        if (answering) {
            stopRequested = true;
        } else {
            events.add(new Interrupt());
        }
    }

    /** Marks an answer as running until {@link #endAnswer()}; Ctrl-C now stops it. */
    public synchronized void beginAnswer() {
        answering = true;
        stopRequested = false;
    }

    /** @return true if a Ctrl-C asked to stop the answer */
    public synchronized boolean endAnswer() {
        answering = false;
        return stopRequested;
    }

    /** A decode listener that stops the answer after a Ctrl-C. */
    public DecodeListener stopListener() {
        return (token, position, logits) -> stopRequested() ? Decision.STOP : Decision.CONTINUE;
    }

    private synchronized boolean stopRequested() {
        return stopRequested;
    }
}
