package io.jllm.engine.generate;

import io.jllm.engine.tokenizer.StreamingDecoder;
import io.jllm.engine.tokenizer.Tokenizer;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.util.function.Consumer;

/**
 * Prompt in, streamed text out, on top of a {@link Session}: prefills the prompt at the session's current
 * position, then samples token after token, asking a {@link DecodeListener} about each, until an
 * end-of-generation token, a stop string, the token limit, a listener's stop or a full context. Each of
 * these ends the call normally with a {@link StopReason}; only caller mistakes (an over-long or empty
 * prompt) and listener failures throw.
 *
 * <p>Afterwards the session holds the prompt followed by {@link GenerationResult#tokens()}, so another call
 * continues the conversation. Text is streamed in pieces that never split a UTF-8 character and never show
 * any part of a stop string.
 */
public final class Generator {

    private final Session session;
    private final Tokenizer tokenizer;

    public Generator(Session session) {
        this.session = session;
        this.tokenizer = session.tokenizer();
    }

    public Session session() {
        return session;
    }

    /**
     * Encodes {@code prompt}, recognising special-token text, and generates from it. BOS (as the vocabulary
     * asks) is added only when the session is empty, so a later prompt continues the same sequence.
     *
     * @see #generate(int[], GenerateOptions, DecodeListener, Consumer)
     */
    public GenerationResult generate(String prompt, GenerateOptions options, DecodeListener listener,
                                     Consumer<String> onText) {
        return generate(tokenizer.encode(prompt, session.position() == 0, true), options, listener, onText);
    }

    /**
     * Generates from prompt tokens.
     *
     * @param onText receives each non-empty piece of text as soon as it is safe to show
     * @throws IllegalArgumentException if the prompt is empty, does not fit in the context left, or holds a
     *                                  token outside the vocabulary
     * @throws DecodeListenerException  if the listener throws or answers something unusable
     */
    public GenerationResult generate(int[] prompt, GenerateOptions options, DecodeListener listener,
                                     Consumer<String> onText) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: at least one token is needed to start from");
        }
        if (prompt.length > session.remaining()) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens but the context has room"
                    + " for " + session.remaining() + " (" + session.capacity() + " in all, " + session.position()
                    + " in use)");
        }
        long start = System.nanoTime();
        session.prefill(prompt);
        long prefilled = System.nanoTime();
        Run run = new Run(options, listener, onText);
        StopReason reason = run.loop();
        long end = System.nanoTime();
        Timings timings = new Timings(prompt.length, prefilled - start, run.sampled, end - prefilled);
        return new GenerationResult(run.text.toString(), run.tokens.toIntArray(), reason, timings);
    }

    /** The state of one generate call. */
    private final class Run {
        private final GenerateOptions options;
        private final DecodeListener listener;
        private final Consumer<String> onText;
        private final StreamingDecoder decoder = tokenizer.streamingDecoder();
        private final StopStringFilter filter;
        private final StringBuilder text = new StringBuilder();
        private final IntArrayList tokens = new IntArrayList();
        private int sampled;

        Run(GenerateOptions options, DecodeListener listener, Consumer<String> onText) {
            this.options = options;
            this.listener = listener;
            this.onText = onText;
            this.filter = new StopStringFilter(options.stopStrings());
        }

        StopReason loop() {
            while (true) {
                if (sampled == options.maxTokens()) {
                    return finish(StopReason.MAX_TOKENS);
                }
                if (session.remaining() == 0) {
                    return finish(StopReason.CONTEXT_FULL);
                }
                int position = session.position();
                int token = session.sample();
                sampled++;
                if (tokenizer.isEndOfGeneration(token)) {
                    return finish(StopReason.END_OF_GENERATION);
                }
                Decision decision = ask(token, position);
                if (decision instanceof Decision.Replace replace) {
                    token = replacement(replace.token(), token, position);
                }
                session.append(token);
                if (emit(token)) {
                    return StopReason.STOP_STRING;
                }
                switch (decision) {
                    case Decision.Continue c -> {
                    }
                    case Decision.Replace r -> {
                    }
                    case Decision.Stop s -> {
                        return finish(StopReason.LISTENER_STOP);
                    }
                    case Decision.Inject inject -> {
                        int[] injected = inject.tokens();
                        checkInjected(injected, token, position);
                        if (injected.length > session.remaining()) {
                            return finish(StopReason.CONTEXT_FULL);
                        }
                        session.append(injected);
                        for (int t : injected) {
                            if (emit(t)) {
                                return StopReason.STOP_STRING;
                            }
                        }
                    }
                }
            }
        }

        private Decision ask(int token, int position) {
            Decision decision;
            try {
                decision = listener.onToken(token, position, session.currentLogits());
            } catch (RuntimeException e) {
                throw new DecodeListenerException("the decode listener failed on token " + token + " at position "
                        + position + ": " + e, e);
            }
            if (decision == null) {
                throw new DecodeListenerException("the decode listener answered null for token " + token
                        + " at position " + position + "; answer Decision.CONTINUE to go on", null);
            }
            return decision;
        }

        private int replacement(int replacement, int token, int position) {
            try {
                session.checkTokens(new int[] {replacement});
            } catch (IllegalArgumentException e) {
                throw new DecodeListenerException("the decode listener replaced token " + token + " at position "
                        + position + " by a bad token: " + e.getMessage(), e);
            }
            return replacement;
        }

        private void checkInjected(int[] injected, int token, int position) {
            try {
                session.checkTokens(injected);
            } catch (IllegalArgumentException e) {
                throw new DecodeListenerException("the decode listener injected a bad token after token " + token
                        + " at position " + position + ": " + e.getMessage(), e);
            }
        }

        /** Adds a token to the output; true when its text completed a stop string. */
        private boolean emit(int token) {
            tokens.add(token);
            show(filter.accept(decoder.next(token)));
            return filter.stopped();
        }

        private StopReason finish(StopReason reason) {
            show(filter.accept(decoder.flush()));
            if (filter.stopped()) {
                return StopReason.STOP_STRING;
            }
            show(filter.drain());
            return reason;
        }

        private void show(String piece) {
            if (!piece.isEmpty()) {
                text.append(piece);
                onText.accept(piece);
            }
        }
    }
}
