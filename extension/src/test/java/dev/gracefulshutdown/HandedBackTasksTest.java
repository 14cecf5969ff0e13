package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code shutdownNow()} hands back the tasks still queued. Ignored, they are lost; run by the hook itself, they are
 * not: a {@code FutureTask} (what {@code submit} queues) that is done and not cancelled ran.
 */
class HandedBackTasksTest {

    @Test
    void tasksShutdownNowHandsBackAreDroppedUnlessTheApplicationRunsThem() {
        Events events = Fixtures.tests(HandedBackTestCases.class);

        assertThat(Fixtures.failureMessage(events, "handedBackTasksIgnored"))
                .contains("3 violations")
                .contains("INTERRUPTED_TASK")
                .contains("DROPPED_TASK");
        assertThat(Fixtures.failureMessage(events, "handedBackTasksRunByTheHook"))
                .as("only the running task, interrupted, is a violation: the two handed back ran in the hook")
                .contains("1 violation")
                .contains("INTERRUPTED_TASK")
                .doesNotContain("DROPPED_TASK");
        assertThat(Fixtures.failureMessage(events, "handedBackTaskFailsInTheHook"))
                .contains("2 violations")
                .contains("FAILED_TASK")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .doesNotContain("DROPPED_TASK");
    }

    @GracefulShutdownTest(gracePeriod = "10s")
    static class HandedBackTestCases {
        /** A pool of one busy worker, which ignores the interrupt until released, with two exports queued behind it. */
        static ThreadPoolExecutor busyPool(AtomicBoolean release, Runnable... queued) throws InterruptedException {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                while (!release.get()) {
                    LockSupport.parkNanos(1_000_000);
                }
            });
            for (Runnable export : queued) {
                pool.submit(export);
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            return pool;
        }

        @Test
        void handedBackTasksIgnored() throws InterruptedException {
            AtomicBoolean release = new AtomicBoolean();
            AtomicInteger exported = new AtomicInteger();
            ThreadPoolExecutor pool = busyPool(release, exported::incrementAndGet, exported::incrementAndGet);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdownNow();
                release.set(true);
            }, "stop-exports"));
        }

        @Test
        void handedBackTasksRunByTheHook() throws InterruptedException {
            AtomicBoolean release = new AtomicBoolean();
            AtomicInteger exported = new AtomicInteger();
            ThreadPoolExecutor pool = busyPool(release, exported::incrementAndGet, exported::incrementAndGet);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                List<Runnable> left = pool.shutdownNow();
                release.set(true);
                left.forEach(Runnable::run); // the exports still run, on the hook's thread
            }, "stop-exports"));
        }

        @Test
        void handedBackTaskFailsInTheHook() throws InterruptedException {
            AtomicBoolean release = new AtomicBoolean();
            AtomicBoolean closed = new AtomicBoolean();
            ThreadPoolExecutor pool = busyPool(release, () -> {
                if (closed.get()) {
                    throw new IllegalStateException("the export's connection is closed");
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                List<Runnable> left = pool.shutdownNow();
                release.set(true);
                closed.set(true);
                left.forEach(Runnable::run);
            }, "stop-exports"));
        }
    }
}
