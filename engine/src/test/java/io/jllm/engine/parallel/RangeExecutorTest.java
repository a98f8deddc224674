package io.jllm.engine.parallel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangeExecutorTest {

    @ParameterizedTest
    @EnumSource(ExecutorKind.class)
    void everyIndexRunsExactlyOnceInGrainAlignedChunks(ExecutorKind kind) {
        try (RangeExecutor executor = kind.create(3)) {
            for (int count : new int[] {1, 31, 32, 33, 100, 1000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(count);
                executor.forRange(count, 32, (worker, from, to) -> {
                    assertThat(worker).isBetween(0, executor.parallelism() - 1);
                    assertThat(from % 32).isZero();
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertThat(seen.get(i)).as("index %d of %d", i, count).isEqualTo(1);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ExecutorKind.class)
    void aFailingChunkFailsTheCall(ExecutorKind kind) {
        try (RangeExecutor executor = kind.create(4)) {
            assertThatThrownBy(() -> executor.forRange(400, 1, (worker, from, to) -> {
                if (to == 400) {
                    throw new IllegalStateException("last chunk failed");
                }
            })).hasMessageContaining("last chunk failed");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExecutorKind.class, names = {"SPINNING", "VIRTUAL", "PLATFORM"})
    void usesSeveralWorkersForLargeRanges(ExecutorKind kind) {
        try (RangeExecutor executor = kind.create(4)) {
            AtomicIntegerArray workers = new AtomicIntegerArray(4);
            executor.forRange(4 * 64, 64, (worker, from, to) -> {
                workers.incrementAndGet(worker);
                sleep(50);
            });
            for (int w = 0; w < 4; w++) {
                assertThat(workers.get(w)).as("worker %d", w).isEqualTo(1);
            }
        }
    }

    /** Spinning workers claim pieces as they go: a thread held up by one slow piece leaves the rest to others. */
    @Test
    void aThreadHeldUpBySlowWorkLeavesTheRestToTheOthers() {
        try (RangeExecutor executor = ExecutorKind.SPINNING.create(2)) {
            int[] ranBy = new int[8];
            executor.forRange(8 * 64, 64, (worker, from, to) -> {
                for (int i = from; i < to; i += 64) {
                    ranBy[i / 64] = worker + 1;
                }
                if (from == 0) {
                    sleep(300);
                }
            });
            int slow = ranBy[0];
            for (int piece = 1; piece < 8; piece++) {
                assertThat(ranBy[piece]).as("piece %d", piece).isNotZero().isNotEqualTo(slow);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @EnumSource(ExecutorKind.class)
    void backToBackRangesEachRunEveryIndexOnce(ExecutorKind kind) throws InterruptedException {
        try (RangeExecutor executor = kind.create(3)) {
            long[] sum = new long[1];
            for (int round = 0; round < 2_000; round++) {
                AtomicIntegerArray seen = new AtomicIntegerArray(96);
                executor.forRange(96, 1, (worker, from, to) -> {
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < 96; i++) {
                    sum[0] += seen.get(i);
                }
                if (round % 500 == 0) {
                    Thread.sleep(5);
                }
            }
            assertThat(sum[0]).as("index visits over all rounds, some after the workers went idle")
                    .isEqualTo(2_000L * 96);
        }
    }

    @ParameterizedTest
    @EnumSource(ExecutorKind.class)
    void rangesFromSeveralThreadsAllComplete(ExecutorKind kind) throws InterruptedException {
        try (RangeExecutor executor = kind.create(2)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(2);
            Thread[] callers = new Thread[2];
            for (int c = 0; c < callers.length; c++) {
                int caller = c;
                callers[c] = Thread.ofPlatform().start(() -> {
                    for (int round = 0; round < 500; round++) {
                        executor.forRange(64, 1, (worker, from, to) -> seen.addAndGet(caller, to - from));
                    }
                });
            }
            for (Thread caller : callers) {
                caller.join();
            }
            assertThat(seen.get(0)).isEqualTo(500 * 64);
            assertThat(seen.get(1)).isEqualTo(500 * 64);
        }
    }
}
