package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Read from a real thread's stack: whether it is a pool's worker in the midst of a task, or waiting for one. */
class SharedThreadsTest {

    @Test
    void aPoolsWorkerRunsATaskOnlyBetweenTakingItAndFinishingIt() throws InterruptedException {
        AtomicReference<Thread> worker = new AtomicReference<>();
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "shared-threads-test");
            worker.set(thread);
            return thread;
        });
        try {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            pool.execute(() -> {
                running.countDown();
                awaitQuietly(finish);
            });
            running.await();
            assertThat(SharedThreads.runsAPoolsTask(worker.get().getStackTrace())).isTrue();

            finish.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> worker.get().getState() == Thread.State.WAITING
                            && !SharedThreads.runsAPoolsTask(worker.get().getStackTrace()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThreadOfItsOwnRunsNoPoolsTask() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            running.countDown();
            awaitQuietly(finish);
        }, "own-loop");
        thread.start();
        try {
            running.await();
            assertThat(SharedThreads.runsAPoolsTask(thread.getStackTrace())).isFalse();
        } finally {
            finish.countDown();
            thread.join(10_000);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}
