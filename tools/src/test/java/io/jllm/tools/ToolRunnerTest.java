package io.jllm.tools;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ToolRunnerTest {

    /** A tool whose behaviour each test supplies. */
    private record Scripted(String name, Behaviour behaviour) implements Tool {
        interface Behaviour {
            String call(String arguments) throws Exception;
        }

        @Override
        public String description() {
            return "scripted for a test";
        }

        @Override
        public String syntax() {
            return name + "(ANYTHING)";
        }

        @Override
        public String call(String arguments) throws ToolException {
            try {
                return behaviour.call(arguments);
            } catch (ToolException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ToolRunner runner(Tool tool) {
        return new ToolRunner(new ToolRegistry().register(tool), Duration.ofSeconds(5), 1000, 100);
    }

    @Test
    void returnsTheResultWithItsCallAndDuration() {
        ToolResult result = runner(new Scripted("Echo", a -> "<" + a + ">")).run("echo", "hi");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.tool()).isEqualTo("echo");
        assertThat(result.arguments()).isEqualTo("hi");
        assertThat(result.text()).isEqualTo("<hi>");
        assertThat(result.display()).isEqualTo("<hi>");
        assertThat(result.error()).isNull();
        assertThat(result.duration()).isPositive();
    }

    @Test
    void runsEachCallOnAVirtualThread() {
        ToolResult result = runner(new Scripted("Where", a -> String.valueOf(Thread.currentThread().isVirtual())))
                .run("Where", "");
        assertThat(result.text()).isEqualTo("true");
    }

    @Test
    void nullArgumentsArePassedAsEmptyText() {
        assertThat(runner(new Scripted("Echo", a -> "[" + a + "]")).run("Echo", null).text()).isEqualTo("[]");
    }

    @Test
    void anUnknownToolIsAnErrorListingTheKnownOnes() {
        ToolResult result = runner(new Scripted("Echo", a -> a)).run("Search", "x");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.text()).isEmpty();
        assertThat(result.error()).isEqualTo("unknown tool 'Search' (known: Echo)");
        assertThat(result.display()).isEqualTo("error: unknown tool 'Search' (known: Echo)");
        assertThat(runner(new Scripted("Echo", a -> a)).run(null, "x").error()).startsWith("unknown tool 'null'");
    }

    @Test
    void aToolExceptionBecomesItsMessage() {
        ToolResult result = runner(new Scripted("Picky", a -> {
            throw new ToolException("malformed arguments");
        })).run("Picky", "??");
        assertThat(result.error()).isEqualTo("malformed arguments");
    }

    @Test
    void anyOtherExceptionOrErrorIsReportedWithTheToolNameAndNeverThrown() {
        assertThat(runner(new Scripted("Buggy", a -> {
            throw new IllegalStateException("boom");
        })).run("Buggy", "").error()).isEqualTo("Buggy failed: IllegalStateException: boom");
        assertThat(runner(new Scripted("Deep", a -> {
            throw new StackOverflowError();
        })).run("Deep", "").error()).isEqualTo("Deep failed: StackOverflowError");
    }

    @Test
    void aNullResultIsAnError() {
        assertThat(runner(new Scripted("Void", a -> null)).run("Void", "").error())
                .isEqualTo("Void returned no result");
    }

    @Test
    void aSlowCallTimesOutAndIsInterrupted() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        Tool sleeper = new Scripted("Sleeper", a -> {
            try {
                Thread.sleep(60_000);
                return "woke up";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
        ToolRunner runner = new ToolRunner(new ToolRegistry().register(sleeper), Duration.ofMillis(200), 100, 100);

        ToolResult result = runner.run("Sleeper", "");

        assertThat(result.error()).isEqualTo("timed out after 200 ms");
        assertThat(result.duration()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCallIgnoringInterruptsDoesNotHoldTheCallerBeyondTheTimeout() {
        AtomicBoolean stop = new AtomicBoolean();
        Tool spinner = new Scripted("Spinner", a -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
            return "done";
        });
        ToolRunner runner = new ToolRunner(new ToolRegistry().register(spinner), Duration.ofSeconds(1), 100, 100);
        try {
            ToolResult result = runner.run("Spinner", "");
            assertThat(result.error()).isEqualTo("timed out after 1 s");
            assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
        } finally {
            stop.set(true);
        }
    }

    @Test
    void longResultsAreTruncatedWithAnEllipsis() {
        ToolRunner runner = new ToolRunner(new ToolRegistry().register(new Scripted("Long", a -> "abcdefghijklmnop")),
                Duration.ofSeconds(5), 10, 100);
        ToolResult result = runner.run("Long", "");
        assertThat(result.text()).isEqualTo("abcdefghi…").hasSize(10);
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        ToolRunner runner = new ToolRunner(new ToolRegistry().register(new Scripted("Emoji", a -> "12345678😀😀")),
                Duration.ofSeconds(5), 10, 100);
        assertThat(runner.run("Emoji", "").text()).isEqualTo("12345678…");
    }

    @Test
    void longErrorMessagesAreTruncatedToo() {
        ToolRunner runner = new ToolRunner(new ToolRegistry().register(new Scripted("Loud", a -> {
            throw new ToolException("x".repeat(500));
        })), Duration.ofSeconds(5), 20, 100);
        assertThat(runner.run("Loud", "").error()).hasSize(20).endsWith("…");
    }

    @Test
    void overLongArgumentsAreRefusedWithoutCallingTheTool() {
        AtomicInteger calls = new AtomicInteger();
        ToolResult result = runner(new Scripted("Count", a -> String.valueOf(calls.incrementAndGet())))
                .run("Count", "x".repeat(101));
        assertThat(result.error()).isEqualTo("arguments longer than 100 characters");
        assertThat(calls).hasValue(0);
    }
}
