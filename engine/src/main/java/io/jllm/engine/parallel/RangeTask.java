package io.jllm.engine.parallel;

/** Work on the index range {@code [from, to)}; {@code worker} identifies the chunk (0 .. parallelism-1) for scratch use. */
@FunctionalInterface
public interface RangeTask {
    void run(int worker, int from, int to);
}
