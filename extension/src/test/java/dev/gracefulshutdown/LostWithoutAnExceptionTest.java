package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Work lost without an exception: thrown away by a rejection policy, cancelled with its delayed executor, still
 * waiting in CompletableFuture's delayer at the halt, or forked onto the common pool from outside it.
 */
class LostWithoutAnExceptionTest {

    @Test
    void aRejectionPolicyThatNeitherRunsNorThrowsDropsTheTask() {
        Events events = Fixtures.tests(DiscardingPolicyTestCases.class);

        assertThat(Fixtures.failureMessage(events, "discardPolicy"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.LostWithoutAnExceptionTest$DiscardingPolicyTestCases (task#3) "
                        + "on ThreadPoolExecutor#1 was thrown away by ThreadPoolExecutor.DiscardPolicy: it never ran, and nothing was told")
                .contains("submitted at dev.gracefulshutdown.LostWithoutAnExceptionTest$DiscardingPolicyTestCases.discardPolicy(LostWithoutAnExceptionTest.java:")
                .contains("fix: use a rejection policy that tells the submitter");
        assertThat(Fixtures.failureMessage(events, "discardOldestPolicy"))
                .contains("1 violation")
                .contains("(task#2) on ThreadPoolExecutor#1 was thrown away by ThreadPoolExecutor.DiscardOldestPolicy (to make room for a newer task)");
        assertThat(Fixtures.failureMessage(events, "callerRunsPolicyAfterShutdown"))
                .contains("1 violation")
                .contains("(task#2) on ThreadPoolExecutor#1 was thrown away by ThreadPoolExecutor.CallerRunsPolicy after shutdown()");
        Fixtures.assertPassed(events, "callerRunsPolicyWhileRunningRunsTheTask", "handlerThatBlocksUntilThereIsRoom");
    }

    @Test
    void delayedWorkStillPendingAtTheHaltIsDropped() {
        Events events = Fixtures.tests(DelayedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "shutdownCancelsDelayedTasksByPolicy"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.LostWithoutAnExceptionTest$DelayedTestCases (task#1) "
                        + "on ScheduledThreadPoolExecutor#1 was thrown away by shutdown() of ScheduledThreadPoolExecutor#1 "
                        + "(its executeExistingDelayedTasksAfterShutdownPolicy is false): it never ran")
                .contains("fix: keep delayed tasks through the shutdown");
        assertThat(Fixtures.failureMessage(events, "delayedTaskPendingAfterShutdown"))
                .contains("1 violation")
                .contains("(task#1) on ScheduledThreadPoolExecutor#1 was accepted but never started")
                .contains("executor shut down at");
        assertThat(Fixtures.failureMessage(events, "delayedExecutorPendingAtTheHalt"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task delayed task of CompletableFuture.delayedExecutor (task#1) "
                        + "on CompletableFuture.delayedExecutor(...) was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.LostWithoutAnExceptionTest$DelayedTestCases.delayedExecutorPendingAtTheHalt(LostWithoutAnExceptionTest.java:")
                .contains("fix: in the shutdown path, wait (within the grace period) for the futures of work scheduled with CompletableFuture.delayedExecutor");
        Fixtures.assertPassed(events, "timerCancelledByItsOwnerDuringTheShutdown", "delayedExecutorWorkAwaitedByAHook");
    }

    @Test
    void workForkedOntoTheCommonPoolFromOutsideIsCaptured() {
        ForkedTestCases.release = new CountDownLatch(1);
        Events events;
        try {
            events = Fixtures.tests(ForkedTestCases.class);
        } finally {
            // the common pool is the JVM's (on 2 cores, one worker): the abandoned upload must not keep it from later tests
            ForkedTestCases.release.countDown();
        }

        assertThat(Fixtures.failureMessage(events, "forkedTaskRunningAtTheHalt"))
                .contains("ABANDONED_TASK: task dev.gracefulshutdown.LostWithoutAnExceptionTest$ForkedTestCases$Upload (task#1) "
                        + "on ForkJoinPool.commonPool() was still running")
                .contains("submitted at dev.gracefulshutdown.LostWithoutAnExceptionTest$ForkedTestCases.forkedTaskRunningAtTheHalt(LostWithoutAnExceptionTest.java:");
        Fixtures.assertPassed(events, "parallelStreamThatFinishes");
    }

    private static ThreadPoolExecutor singleWorker(RejectedExecutionHandler handler) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), handler);
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class DiscardingPolicyTestCases {
        @Test
        void discardPolicy() throws InterruptedException {
            ThreadPoolExecutor pool = singleWorker(new ThreadPoolExecutor.DiscardPolicy());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> WorkOnAnyThreadTest.export(running, release));
            running.await();
            pool.execute(() -> { }); // queued
            pool.execute(() -> { }); // no room: thrown away
            release.countDown();
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, new CountDownLatch(1)));
        }

        @Test
        void discardOldestPolicy() throws InterruptedException {
            ThreadPoolExecutor pool = singleWorker(new ThreadPoolExecutor.DiscardOldestPolicy());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> WorkOnAnyThreadTest.export(running, release));
            running.await();
            pool.execute(() -> { }); // queued, then thrown away for the next one
            pool.execute(() -> { });
            release.countDown();
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, new CountDownLatch(1)));
        }

        @Test
        void callerRunsPolicyAfterShutdown() throws InterruptedException {
            ThreadPoolExecutor pool = singleWorker(new ThreadPoolExecutor.CallerRunsPolicy());
            pool.execute(() -> { });
            pool.shutdown();
            pool.execute(() -> { }); // neither run nor refused
            pool.awaitTermination(3, TimeUnit.SECONDS);
        }

        @Test
        void callerRunsPolicyWhileRunningRunsTheTask() throws InterruptedException {
            ThreadPoolExecutor pool = singleWorker(new ThreadPoolExecutor.CallerRunsPolicy());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> WorkOnAnyThreadTest.export(running, release));
            running.await();
            pool.execute(() -> { });
            pool.execute(() -> { }); // runs on this thread
            release.countDown();
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, new CountDownLatch(1)));
        }

        @Test
        void handlerThatBlocksUntilThereIsRoom() throws InterruptedException {
            ThreadPoolExecutor pool = singleWorker((task, executor) -> {
                try {
                    executor.getQueue().put(task);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> WorkOnAnyThreadTest.export(running, release));
            running.await();
            pool.execute(() -> { });
            new Thread(release::countDown).start();
            pool.execute(() -> { }); // waits for room
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, new CountDownLatch(1)));
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class DelayedTestCases {
        @Test
        void shutdownCancelsDelayedTasksByPolicy() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler.schedule(() -> { }, 200, TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(scheduler, new CountDownLatch(1)));
        }

        @Test
        void delayedTaskPendingAfterShutdown() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
            scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdown));
        }

        @Test
        void timerCancelledByItsOwnerDuringTheShutdown() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
            ScheduledFuture<?> timeout = scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                timeout.cancel(false); // what it guarded finished: the timer is no longer needed
                Work.drain(scheduler, new CountDownLatch(1));
            }));
        }

        @Test
        void delayedExecutorPendingAtTheHalt() {
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(1, TimeUnit.HOURS));
        }

        @Test
        void delayedExecutorWorkAwaitedByAHook() {
            CompletableFuture<Void> flush = CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> flush.orTimeout(3, TimeUnit.SECONDS).join()));
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class ForkedTestCases {
        static volatile CountDownLatch release = new CountDownLatch(0);

        @Test
        void forkedTaskRunningAtTheHalt() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            new Upload(running).fork();
            running.await();
        }

        @Test
        void parallelStreamThatFinishes() {
            List<Integer> squares = IntStream.range(0, 10_000).parallel().map(i -> i * i).boxed().toList();
            assertThat(squares).hasSize(10_000);
            assertThat(ForkJoinPool.commonPool()).isNotNull();
        }

        static final class Upload extends RecursiveAction {
            private final transient CountDownLatch running;

            Upload(CountDownLatch running) {
                this.running = running;
            }

            @Override
            protected void compute() {
                WorkOnAnyThreadTest.export(running, release);
            }
        }
    }
}
