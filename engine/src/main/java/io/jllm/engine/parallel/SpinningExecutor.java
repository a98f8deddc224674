package io.jllm.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code threads - 1} persistent platform workers that wait for work by spinning, then parking once idle for
 * {@link #SPIN_NANOS}; the caller works on the range too. A hand-off is one volatile write and a worker noticing
 * it, with nothing allocated, where a pool or fresh threads cost several microseconds per range: that decides
 * the speed of the many small products of a decode step. Ranges from several threads run one after another.
 * Close to stop the workers.
 * <p>The default, like llama.cpp's own spinning thread pool: on the 2-core machine, quiet, the 1B Q4_0 decode
 * ran at 13.2 to 14.9 tokens/s with spinning workers against 11.4 to 13.3 with virtual threads, and Q4_K_M
 * prefill at 41 against 37. It costs on an oversubscribed CPU, where a spinning worker spends its share
 * waiting: with one busy process beside it, 7.6 against 8.1, and at load 5 to 8 about half the speed of
 * virtual threads ({@code --executor virtual} there).
 */
public final class SpinningExecutor implements RangeExecutor {
    /**
     * Pieces per thread a range is cut into; each thread claims the next unclaimed piece until none is left, so
     * a thread that started late or runs slower (the other vCPU busy) does less instead of holding up the rest.
     */
    private static final int PIECES_PER_THREAD = 4;
    /** How long an idle worker spins before parking: longer than the serial work between two products. */
    private static final long SPIN_NANOS = 50_000;
    /** Spin iterations between clock reads. */
    private static final int SPINS_PER_CHECK = 256;

    private final int parallelism;
    private final Thread[] workers;
    /** Per worker: the number of the latest range it was called to, and whether it is parked. */
    private final AtomicIntegerArray assigned;
    private final AtomicIntegerArray parked;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger finished = new AtomicInteger();

    /** The next piece of the current range that no thread has claimed yet. */
    private final AtomicInteger nextPiece = new AtomicInteger();

    private int generation;
    private volatile boolean closed;
    private RangeTask task;
    private int count;
    private int grain;
    private int pieces;
    private volatile Throwable failure;

    public SpinningExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.parallelism = threads;
        this.workers = new Thread[threads - 1];
        this.assigned = new AtomicIntegerArray(threads - 1);
        this.parked = new AtomicIntegerArray(threads - 1);
        for (int w = 0; w < workers.length; w++) {
            int id = w + 1;
            workers[w] = Thread.ofPlatform().daemon().name("jllm-spin-" + id).unstarted(() -> work(id));
            workers[w].start();
        }
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public void forRange(int count, int grain, RangeTask task) {
        if (count <= 0) {
            return;
        }
        int pieces = RangeExecutor.chunkCount(count, grain, parallelism * PIECES_PER_THREAD);
        int helpers = Math.min(parallelism, pieces) - 1;
        if (helpers == 0) {
            task.run(0, 0, count);
            return;
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("executor is closed");
            }
            this.task = task;
            this.count = count;
            this.grain = grain;
            this.pieces = pieces;
            this.failure = null;
            nextPiece.set(0);
            finished.set(0);
            generation++;
            for (int w = 0; w < helpers; w++) {
                assigned.set(w, generation);
                if (parked.get(w) != 0) {
                    LockSupport.unpark(workers[w]);
                }
            }
            runPieces(0);
            awaitWorkers(helpers);
            this.task = null;
            rethrow(failure);
        } finally {
            lock.unlock();
        }
    }

    /** Spins while the workers are likely running; yields when they seem descheduled (an oversubscribed CPU). */
    private void awaitWorkers(int expected) {
        int spins = 0;
        while (finished.get() < expected) {
            if (++spins < SPINS_PER_CHECK) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();
            }
        }
    }

    private void work(int id) {
        int seen = 0;
        while (true) {
            int current = awaitGeneration(id - 1, seen);
            if (current < 0) {
                return;
            }
            seen = current;
            runPieces(id);
            finished.incrementAndGet();
        }
    }

    /** Runs pieces of the current range as worker {@code worker} until none is left unclaimed. */
    private void runPieces(int worker) {
        try {
            for (int piece = nextPiece.getAndIncrement(); piece < pieces; piece = nextPiece.getAndIncrement()) {
                task.run(worker, RangeExecutor.chunkStart(piece, pieces, count, grain),
                        RangeExecutor.chunkStart(piece + 1, pieces, count, grain));
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** The next range number given to this worker after {@code seen}, or -1 once closed. */
    private int awaitGeneration(int worker, int seen) {
        long idleSince = 0;
        int spins = 0;
        while (true) {
            int current = assigned.get(worker);
            if (current != seen) {
                return current;
            }
            if (closed) {
                return -1;
            }
            if (++spins < SPINS_PER_CHECK) {
                Thread.onSpinWait();
                continue;
            }
            spins = 0;
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            } else if (now - idleSince > SPIN_NANOS) {
                parked.set(worker, 1);
                if (assigned.get(worker) == seen && !closed) {
                    LockSupport.park(this);
                }
                parked.set(worker, 0);
                idleSince = 0;
            }
        }
    }

    private static void rethrow(Throwable t) {
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

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
