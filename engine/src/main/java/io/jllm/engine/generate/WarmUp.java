package io.jllm.engine.generate;

import io.jllm.engine.model.LanguageModel;
import io.jllm.engine.sampling.SamplerConfig;

/**
 * Runs the model on a throwaway session in the background so that the JIT compiles its kernels while nobody is
 * waiting: a chat starts this when the model is loaded, and the user's typing hides most of the compile time.
 * From a cold start the kernels run interpreted, then C1-compiled, for seconds; on the project's 2-core machine
 * the first 128-token prompt of the 1B Q4_0 model took 6.3 s cold and 3.6 s when a warm-up had run during a
 * 4-second pause (2.9 s once fully warm).
 * <p>The warm-up makes one {@value #PROMPT}-token prefill (the batched kernels) and then decodes up to
 * {@value #DECODES} tokens (the single-token kernels) over its own small cache, so it never touches a
 * user's session; sessions over one model may run at once (each has its own buffers; the executor runs their
 * parallel ranges one after another). It stops by itself, or after the current step once {@link #close()}d.
 * Any failure ends it silently: it only ever saves time.
 */
public final class WarmUp implements AutoCloseable {
    static final int PROMPT = 16;
    static final int DECODES = 16;

    private final Thread thread;
    private volatile boolean stopped;

    private WarmUp(Engine engine) {
        this.thread = Thread.ofPlatform().daemon().name("jllm-warm-up").unstarted(() -> run(engine));
    }

    /** Starts warming up the engine's model on a background thread. */
    public static WarmUp start(Engine engine) {
        WarmUp warmUp = new WarmUp(engine);
        warmUp.thread.start();
        return warmUp;
    }

    private void run(Engine engine) {
        try {
            LanguageModel model = engine.model();
            Session session = engine.newSession(Math.min(model.contextLength(), PROMPT + DECODES + 1),
                    SamplerConfig.greedy());
            int vocabulary = model.vocabularySize();
            int[] prompt = new int[PROMPT];
            for (int i = 0; i < PROMPT; i++) {
                prompt[i] = (int) ((1000L + 7919L * i) % vocabulary);
            }
            if (stopped || session.remaining() < PROMPT + 1) {
                return;
            }
            session.prefill(prompt);
            for (int i = 0; i < DECODES && !stopped && session.remaining() > 0; i++) {
                session.decode();
            }
        } catch (RuntimeException e) {
            // A warm-up that fails costs the user nothing but the time it would have saved.
        }
    }

    /** Whether the warm-up has ended (finished, stopped, or failed). */
    public boolean finished() {
        return !thread.isAlive();
    }

    /** Waits for the warm-up to end; for tests and tools that want a warm model before measuring. */
    public void await() throws InterruptedException {
        thread.join();
    }

    /** Asks the warm-up to stop after its current step; does not wait for that. */
    @Override
    public void close() {
        stopped = true;
    }
}
