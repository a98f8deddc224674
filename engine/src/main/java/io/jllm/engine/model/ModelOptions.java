package io.jllm.engine.model;

import io.jllm.engine.parallel.ExecutorKind;

/**
 * How a model runs.
 *
 * @param threads   workers matrix rows and attention heads are split across
 * @param executor  how those workers are run
 * @param batchSize tokens of a prompt evaluated together per micro-batch (activation buffers are this many rows)
 * @param repackCache where weights repacked at load are kept for later loads
 */
public record ModelOptions(int threads, ExecutorKind executor, int batchSize, RepackCache repackCache) {
    public static final int DEFAULT_BATCH_SIZE = 64;

    public ModelOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (executor == null) {
            throw new IllegalArgumentException("executor must be given");
        }
        if (repackCache == null) {
            throw new IllegalArgumentException("repack cache must be given (RepackCache.off() for none)");
        }
    }

    /** Options with the repack cache where the environment says ({@link RepackCache#fromEnvironment()}). */
    public ModelOptions(int threads, ExecutorKind executor, int batchSize) {
        this(threads, executor, batchSize, RepackCache.fromEnvironment());
    }

    /**
     * Spinning workers (see {@link io.jllm.engine.parallel.SpinningExecutor}), one per available processor, micro-batches of {@value #DEFAULT_BATCH_SIZE}, the repack
     * cache where the environment says.
     */
    public static ModelOptions defaults() {
        return new ModelOptions(Runtime.getRuntime().availableProcessors(), ExecutorKind.SPINNING, DEFAULT_BATCH_SIZE);
    }

    public ModelOptions withThreads(int threads) {
        return new ModelOptions(threads, executor, batchSize, repackCache);
    }

    public ModelOptions withExecutor(ExecutorKind executor) {
        return new ModelOptions(threads, executor, batchSize, repackCache);
    }

    public ModelOptions withBatchSize(int batchSize) {
        return new ModelOptions(threads, executor, batchSize, repackCache);
    }

    public ModelOptions withRepackCache(RepackCache repackCache) {
        return new ModelOptions(threads, executor, batchSize, repackCache);
    }
}
