package io.jllm.engine.parallel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A fixed pool of {@code threads - 1} daemon platform threads (the caller works too); close to stop them. */
public final class PlatformPoolExecutor extends ChunkedExecutor {
    private final ExecutorService pool;

    public PlatformPoolExecutor(int threads) {
        super(threads);
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads - 1),
                Thread.ofPlatform().daemon().name("jllm-worker-", 0).factory());
    }

    @Override
    Pending startChunk(Runnable chunk) {
        Future<?> future = pool.submit(chunk);
        return () -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
