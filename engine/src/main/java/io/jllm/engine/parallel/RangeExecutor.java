package io.jllm.engine.parallel;

/**
 * Splits an index range (matrix rows, attention heads) into contiguous pieces and runs them on at most
 * {@link #parallelism()} threads, returning when all are done; a worker id is used by one thread at a time.
 * Kernels take a row range and never own threads; this is the only place that decides how rows reach workers,
 * so implementations can be compared.
 */
public interface RangeExecutor extends AutoCloseable {

    /** The most threads a range runs on; worker ids passed to tasks are below this. */
    int parallelism();

    /**
     * Runs {@code task} over {@code [0, count)} in chunks whose boundaries are multiples of {@code grain}
     * (except the last). Exceptions thrown by a chunk are rethrown here after every chunk has finished.
     */
    void forRange(int count, int grain, RangeTask task);

    @Override
    void close();

    /** How {@code [0, count)} is cut: chunk {@code i} of {@link #chunkCount} starts at {@code chunkStart(i)}. */
    static int chunkCount(int count, int grain, int parallelism) {
        int grains = Math.ceilDiv(count, grain);
        return Math.max(1, Math.min(parallelism, grains));
    }

    static int chunkStart(int chunk, int chunks, int count, int grain) {
        int grains = Math.ceilDiv(count, grain);
        return Math.min(count, (int) ((long) grains * chunk / chunks) * grain);
    }
}
