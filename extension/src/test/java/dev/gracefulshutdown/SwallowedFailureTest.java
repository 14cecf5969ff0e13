package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A task whose work fails during the shutdown, and which catches the failure, logs it and returns, lost its work
 * just like one that threw.
 */
class SwallowedFailureTest {

    @Test
    void aFailureTheTaskCatchesDuringTheShutdownIsAFailedTask() {
        Events events = Fixtures.tests(SwallowedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskCatchesTheClosedResourceAndReturns"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.SwallowedFailureTest$SwallowedTestCases (task#1) "
                        + "on ThreadPoolExecutor#1 failed during the shutdown with java.lang.IllegalStateException: connection pool closed")
                .contains("thrown at dev.gracefulshutdown.SwallowedFailureTest$Connections.query(SwallowedFailureTest.java:")
                .contains("caught at dev.gracefulshutdown.SwallowedFailureTest$SwallowedTestCases.lambda$taskCatchesTheClosedResourceAndReturns$")
                .contains("and not rethrown: the work ended as if it had succeeded")
                .contains("fix: keep what a task uses");
        assertThat(Fixtures.failureMessage(events, "interruptedTaskThatCatchesTheInterrupt"))
                .contains("1 violation").contains("INTERRUPTED_TASK").doesNotContain("FAILED_TASK");
        Fixtures.assertPassed(events, "resourceClosedOnlyAfterTheExecutorTerminated", "failureHandledBeforeTheShutdown");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class SwallowedTestCases {
        @Test
        void taskCatchesTheClosedResourceAndReturns() throws InterruptedException {
            Connections connections = new Connections();
            ExecutorService pool = Executors.newFixedThreadPool(1);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            pool.execute(() -> {
                WorkOnAnyThreadTest.export(running, closed);
                try {
                    connections.query();
                } catch (IllegalStateException e) {
                    System.err.println("export failed: " + e); // logged, and the task returns
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                connections.close(); // before the executor: the export still needs it
                closed.countDown();
                Work.drain(pool, new CountDownLatch(1));
            }));
            running.await();
        }

        @Test
        void resourceClosedOnlyAfterTheExecutorTerminated() throws InterruptedException {
            Connections connections = new Connections();
            ExecutorService pool = Executors.newFixedThreadPool(1);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                WorkOnAnyThreadTest.export(running, stopping);
                try {
                    connections.query();
                } catch (IllegalStateException e) {
                    System.err.println("export failed: " + e);
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Work.drain(pool, stopping);
                connections.close();
            }));
            running.await();
        }

        @Test
        void failureHandledBeforeTheShutdown() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> {
                try {
                    Integer.parseInt("not a number");
                } catch (NumberFormatException e) {
                    // a default value
                }
                try {
                    throw new java.io.IOException("retried");
                } catch (java.io.IOException e) {
                    // retried before the shutdown: the application's business
                }
            }).get();
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, new CountDownLatch(1)));
        }

        @Test
        void interruptedTaskThatCatchesTheInterrupt() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            CountDownLatch running = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            pool.execute(() -> {
                running.countDown();
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.set(true); // swallowed, but INTERRUPTED_TASK already says what was lost
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            running.await();
        }
    }

    /** Stands for a connection pool. */
    static final class Connections {
        private volatile boolean closed;

        void close() {
            closed = true;
        }

        void query() {
            if (closed) {
                throw new IllegalStateException("connection pool closed");
            }
        }
    }
}
