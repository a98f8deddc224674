package io.jllm.engine.parallel;

/** Starts a fresh virtual thread per chunk: nothing to keep alive or close; the default. */
public final class VirtualThreadExecutor extends ChunkedExecutor {

    public VirtualThreadExecutor(int threads) {
        super(threads);
    }

    @Override
    Pending startChunk(Runnable chunk) {
        Thread thread = Thread.ofVirtual().name("jllm-chunk").start(chunk);
        return thread::join;
    }

    @Override
    public void close() {
    }
}
