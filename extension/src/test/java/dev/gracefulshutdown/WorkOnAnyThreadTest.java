package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Work is judged wherever it runs, without an adapter: a hand-written pool of raw threads loses the task it runs
 * at the halt, or one the shutdown interrupts, while its idle workers lose nothing.
 */
class WorkOnAnyThreadTest {

    @Test
    void aHandWrittenPoolLosesTheTaskItRunsAtTheHalt() {
        Events events = Fixtures.tests(HandWrittenPoolTestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskInFlightWithoutHook"))
                .contains("Graceful shutdown after SIGTERM (grace period 5 s): 1 violation")
                .containsPattern("ABANDONED_TASK: work on non-daemon thread \"mini-worker-[12]\" was still running when the JVM halted")
                .contains("thread started at dev.gracefulshutdown.WorkOnAnyThreadTest$MiniExecutor.<init>(WorkOnAnyThreadTest.java:")
                .contains("called from dev.gracefulshutdown.WorkOnAnyThreadTest.export(WorkOnAnyThreadTest.java:")
                .contains("fix: signal the thread to stop from a shutdown hook"); // the idle worker is not blamed
        assertThat(Fixtures.failureMessage(events, "hookInterruptsTheWorkers"))
                .contains("1 violation")
                .containsPattern("INTERRUPTED_TASK: work on non-daemon thread \"mini-worker-[12]\" was interrupted by the shutdown")
                .contains("interrupted by dev.gracefulshutdown.WorkOnAnyThreadTest$MiniExecutor.shutdownNow(WorkOnAnyThreadTest.java:");
        Fixtures.assertPassed(events, "idleWorkersLoseNothing", "hookDrainsTheQueueAndJoins");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class HandWrittenPoolTestCases {

        @Test
        void taskInFlightWithoutHook() throws InterruptedException {
            MiniExecutor pool = new MiniExecutor(2);
            CountDownLatch running = new CountDownLatch(1);
            pool.execute(() -> export(running, new CountDownLatch(1)));
            running.await();
        }

        @Test
        void idleWorkersLoseNothing() throws InterruptedException {
            MiniExecutor pool = new MiniExecutor(2);
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(done::countDown);
            done.await();
        }

        @Test
        void hookInterruptsTheWorkers() throws InterruptedException {
            MiniExecutor pool = new MiniExecutor(2);
            CountDownLatch running = new CountDownLatch(1);
            pool.execute(() -> export(running, new CountDownLatch(1)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdownNow();
                pool.join(); // the idle worker is only exiting: at the halt it would still be a step inside work()
            }));
            running.await();
        }

        @Test
        void hookDrainsTheQueueAndJoins() throws InterruptedException {
            MiniExecutor pool = new MiniExecutor(2);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> export(running, stopping));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.countDown();
                pool.shutdownAndJoin();
            }));
            running.await();
        }
    }

    /** Stands for an export: runs until {@code finish} opens (or 30 s pass). */
    static void export(CountDownLatch running, CountDownLatch finish) {
        running.countDown();
        try {
            finish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An executor written by hand on raw threads, as many services have one. */
    static final class MiniExecutor {
        private static final Runnable POISON = () -> { };
        private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        private final List<Thread> workers = new ArrayList<>();

        MiniExecutor(int threads) {
            for (int i = 1; i <= threads; i++) {
                Thread worker = new Thread(this::work, "mini-worker-" + i);
                workers.add(worker);
                worker.start();
            }
        }

        void execute(Runnable task) {
            queue.add(task);
        }

        private void work() {
            while (true) {
                Runnable task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (task == POISON) {
                    return;
                }
                task.run();
            }
        }

        void shutdownNow() {
            workers.forEach(Thread::interrupt);
        }

        void join() {
            for (Thread worker : workers) {
                try {
                    worker.join(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void shutdownAndJoin() {
            workers.forEach(w -> queue.add(POISON));
            join();
        }
    }
}
