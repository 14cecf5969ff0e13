package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.Events;

/** JDK, JUnit, build-tool and idle shared-pool threads are never blamed on the application. */
class NoFalseAlarmsTest {

    @Test
    void threadsOfTheJdkAndOfToolsAreNeverBlamed() {
        Events events = Fixtures.tests(ToolThreadsTestCases.class);

        Fixtures.assertPassed(events, "junitTimeoutOnASeparateThread", "awaitilityPolling", "processReaperOfAChildProcess",
                "cleanerStartedLazily", "idleCommonPoolWorkers", "threadsLeftOverFromAnEarlierTestAreNotBlamedLater");
    }

    @Test
    void oneLeakFailsOnlyTheTestThatCausedIt() {
        Events events = Fixtures.tests(LeakThenCleanTestCases.class);

        assertThat(Fixtures.failureMessage(events, "leaky")).contains("LINGERING_THREAD").contains("\"leaked-");
        Fixtures.assertPassed(events, "cleanAfterLeaky", "cleanAfterThat");
    }

    @Test
    void workAnEarlierTestQueuedIsNotBlamedOnTheTestDuringWhichItRuns() {
        Events events = Fixtures.tests(EarlierTestsQueuedWorkTestCases.class);

        Fixtures.assertPassed(events, "theEarlierTestsExportsRunNow");
    }

    @Test
    void commonPoolWorkStillRunningAtSigtermIsAbandoned() {
        Events events = Fixtures.tests(CommonPoolTestCases.class);

        assertThat(Fixtures.failureMessage(events, "runAsyncStillRunning"))
                .contains("1 violation")
                .contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.NoFalseAlarmsTest$CommonPoolTestCases.runAsyncStillRunning");
        assertThat(Fixtures.failureMessage(events, "defaultAsyncPoolStillRunning"))
                .contains("1 violation")
                .contains("ABANDONED_TASK")
                .contains("NoFalseAlarmsTest$CommonPoolTestCases.defaultAsyncPoolStillRunning");
        Fixtures.assertPassed(events, "runAsyncCompletedBeforeSigterm", "hookJoinsTheFuture");
    }

    static class ToolThreadsTestCases {
        @Test
        @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
        void junitTimeoutOnASeparateThread() {
            assertThat(Thread.currentThread().getName()).startsWith("junit-timeout-thread");
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
        void awaitilityPolling() {
            CountDownLatch done = new CountDownLatch(1);
            new Thread(done::countDown).start();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> done.getCount() == 0);
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
        void processReaperOfAChildProcess() throws IOException, InterruptedException {
            Process child = new ProcessBuilder("true").start();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            child.onExit().join();
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
        void cleanerStartedLazily() {
            Cleaner.create().register(new Object(), () -> { });
        }

        @Test
        @GracefulShutdownTest
        void idleCommonPoolWorkers() {
            CompletableFuture.runAsync(() -> { }, ForkJoinPool.commonPool()).join();
            ForkJoinPool.commonPool().submit(() -> { }).join();
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
        void threadsLeftOverFromAnEarlierTestAreNotBlamedLater() {
            // LeakThenCleanTestCases ran before in this JVM and left workers behind; they belong to no test now
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeakThenCleanTestCases {
        /** Held like a service holds its pool: newSingleThreadExecutor shuts itself down once unreachable. */
        static final java.util.List<Object> HELD = new java.util.ArrayList<>();

        @Test
        @Order(1)
        void leaky() {
            java.util.concurrent.ExecutorService pool =
                    Executors.newSingleThreadExecutor(r -> new Thread(r, "leaked-" + System.nanoTime()));
            HELD.add(pool);
            pool.execute(() -> { });
        }

        @Test
        @Order(2)
        void cleanAfterLeaky() {
        }

        @Test
        @Order(3)
        void cleanAfterThat() {
            new Thread(() -> { }).start();
        }
    }

    /**
     * An earlier test leaves a library's workers waiting in the library's and the JDK's code (nothing of the user's on
     * their stacks): one with the user's export queued behind its wait, one in a task that will call the user's export.
     * Both exports start while a later test runs, and are still running at its halt. They are the earlier test's work
     * (the later test, alone in a JVM, has no such workers), never the later test's.
     */
    @GracefulShutdownTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class EarlierTestsQueuedWorkTestCases {
        static final CompletableFuture<Void> BATCH_FULL = new CompletableFuture<>();
        static final CountDownLatch EXPORTING = new CountDownLatch(2);
        static final CountDownLatch FINISH = new CountDownLatch(1);
        static final java.util.List<io.micrometer.kitfixture.Batcher> HELD = new java.util.ArrayList<>();

        @org.junit.jupiter.api.AfterAll
        static void letTheExportsEnd() {
            FINISH.countDown();
            HELD.forEach(io.micrometer.kitfixture.Batcher::stop);
        }

        @Test
        @Order(1)
        void leavesExportsBehindALibrarysWait() {
            io.micrometer.kitfixture.Batcher queued = new io.micrometer.kitfixture.Batcher();
            queued.waitFor(BATCH_FULL);
            queued.runForTheUser(() -> WorkOnAnyThreadTest.export(EXPORTING, FINISH));
            io.micrometer.kitfixture.Batcher started = new io.micrometer.kitfixture.Batcher();
            started.runForTheUserWhenFull(BATCH_FULL, () -> WorkOnAnyThreadTest.export(EXPORTING, FINISH));
            HELD.add(queued);
            HELD.add(started);
        }

        @Test
        @Order(2)
        @Timeout(10)
        void theEarlierTestsExportsRunNow() throws InterruptedException {
            BATCH_FULL.complete(null);
            EXPORTING.await();
        }
    }

    @GracefulShutdownTest
    static class CommonPoolTestCases {
        /** The kit never interrupts a shared pool's thread, so work left on it is released here, after the verdict. */
        private final CountDownLatch release = new CountDownLatch(1);

        @AfterEach
        void releaseTheCommonPool() {
            release.countDown();
        }

        @Test
        void runAsyncStillRunning() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture.runAsync(() -> {
                started.countDown();
                LingeringThreadTest.await(release);
            }, ForkJoinPool.commonPool());
            started.await();
        }

        @Test
        void defaultAsyncPoolStillRunning() throws InterruptedException {
            // JDK 17 on two cores runs this on a new thread per task, later JDKs on the common pool: same verdict
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture.runAsync(() -> {
                started.countDown();
                LingeringThreadTest.await(release);
            });
            started.await();
        }

        @Test
        void runAsyncCompletedBeforeSigterm() {
            CompletableFuture.runAsync(() -> { }, ForkJoinPool.commonPool()).join();
        }

        @Test
        void hookJoinsTheFuture() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
            }, ForkJoinPool.commonPool());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.countDown();
                work.orTimeout(3, TimeUnit.SECONDS).join();
            }));
            started.await();
        }
    }
}
