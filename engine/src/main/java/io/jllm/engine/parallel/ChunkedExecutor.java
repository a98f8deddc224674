package io.jllm.engine.parallel;

/**
 * The shared splitting logic: chunk 0 runs on the caller, the others are handed to {@link #startChunk}, and
 * the first failure is rethrown once every chunk has finished (so no chunk still writes into buffers the
 * caller reuses).
 */
abstract sealed class ChunkedExecutor implements RangeExecutor permits VirtualThreadExecutor, PlatformPoolExecutor {
    private final int parallelism;

    ChunkedExecutor(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    @Override
    public final int parallelism() {
        return parallelism;
    }

    /** Starts running {@code chunk} elsewhere; the returned handle waits for it. */
    abstract Pending startChunk(Runnable chunk);

    interface Pending {
        void await() throws InterruptedException;
    }

    @Override
    public final void forRange(int count, int grain, RangeTask task) {
        if (count <= 0) {
            return;
        }
        int chunks = RangeExecutor.chunkCount(count, grain, parallelism);
        if (chunks == 1) {
            task.run(0, 0, count);
            return;
        }
        Throwable[] failures = new Throwable[chunks];
        Pending[] pending = new Pending[chunks];
        for (int c = 1; c < chunks; c++) {
            int chunk = c;
            int from = RangeExecutor.chunkStart(c, chunks, count, grain);
            int to = RangeExecutor.chunkStart(c + 1, chunks, count, grain);
            pending[c] = startChunk(() -> {
                try {
                    task.run(chunk, from, to);
                } catch (Throwable t) {
                    failures[chunk] = t;
                }
            });
        }
        try {
            task.run(0, 0, RangeExecutor.chunkStart(1, chunks, count, grain));
        } catch (Throwable t) {
            failures[0] = t;
        }
        awaitAll(pending);
        rethrowFirst(failures);
    }

    private static void awaitAll(Pending[] pending) {
        boolean interrupted = false;
        for (int c = 1; c < pending.length; c++) {
            while (true) {
                try {
                    pending[c].await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrowFirst(Throwable[] failures) {
        for (Throwable t : failures) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
