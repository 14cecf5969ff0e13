package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** Tests running at the same time each see only what their own threads created. */
class ParallelExecutionTest {

    private static final String[] PARALLEL = {
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4",
    };

    @RepeatedTest(3)
    void aLeakyAndACleanTestSideBySideAreEachJudgedOnTheirOwn() {
        SideBySideTestCases.allStarted = new CountDownLatch(4);
        Events events = Fixtures.tests(SideBySideTestCases.class, PARALLEL);

        assertThat(SideBySideTestCases.overlapped).as("the four tests ran at the same time").isTrue();
        assertThat(Fixtures.failureMessage(events, "leakyA"))
                .contains("1 violation").contains("\"leaky-a-").doesNotContain("leaky-b").doesNotContain("clean-");
        assertThat(Fixtures.failureMessage(events, "leakyB"))
                .contains("1 violation").contains("\"leaky-b-").doesNotContain("leaky-a").doesNotContain("clean-");
        Fixtures.assertPassed(events, "cleanC", "cleanD");
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class SideBySideTestCases {
        static volatile CountDownLatch allStarted = new CountDownLatch(4);
        static volatile boolean overlapped;

        @Test
        void leakyA() throws Exception {
            pool("leaky-a").submit(() -> { }).get();
            meet();
        }

        @Test
        void leakyB() throws Exception {
            pool("leaky-b").submit(() -> { }).get();
            meet();
        }

        @Test
        void cleanC() throws InterruptedException {
            ExecutorService pool = pool("clean-c");
            pool.execute(() -> { });
            meet();
            pool.shutdown();
        }

        @Test
        void cleanD() throws InterruptedException {
            ExecutorService pool = pool("clean-d");
            pool.execute(() -> { });
            meet();
            pool.shutdown();
        }

        private static ExecutorService pool(String prefix) {
            return Executors.newFixedThreadPool(1, r -> new Thread(r, prefix + "-" + System.nanoTime()));
        }

        private static void meet() throws InterruptedException {
            allStarted.countDown();
            overlapped = allStarted.await(10, TimeUnit.SECONDS);
        }
    }
}
