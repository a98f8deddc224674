package io.jllm.engine.parallel;

/** Runs every range on the calling thread: the baseline and the choice for one thread. */
public final class SerialExecutor implements RangeExecutor {

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public void forRange(int count, int grain, RangeTask task) {
        if (count > 0) {
            task.run(0, 0, count);
        }
    }

    @Override
    public void close() {
    }
}
