package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class TaskViolationsTest {

    @Test
    void taskRunningAtTheHaltIsAbandonedUnlessAHookAwaitsIt() {
        Events events = Fixtures.tests(AbandonedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reportInFlightWithoutHook"))
                .contains("Graceful shutdown after SIGTERM (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$AbandonedTestCases (task#1) "
                        + "on ThreadPoolExecutor#1 was still running on thread \"pool-")
                .contains("submitted at dev.gracefulshutdown.TaskViolationsTest$AbandonedTestCases.reportInFlightWithoutHook(TaskViolationsTest.java:")
                .contains("at the halt: TIMED_WAITING in java.util.concurrent.CountDownLatch.await")
                .contains("called from dev.gracefulshutdown.LingeringThreadTest.await")
                .contains("fix: in the shutdown path");
        assertThat(Fixtures.failureMessage(events, "hookShutsDownWithoutAwaiting")).contains("ABANDONED_TASK")
                .doesNotContain("INTERRUPTED_TASK");
        Fixtures.assertPassed(events, "hookShutsDownAndAwaits");
    }

    @Test
    void shutdownNowInterruptsTheRunningTaskAndDropsTheQueuedOnes() {
        Events events = Fixtures.tests(InterruptedTestCases.class);

        String message = Fixtures.failureMessage(events, "hookCallsShutdownNow");
        assertThat(message)
                .contains("2 violations")
                .contains("INTERRUPTED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$InterruptedTestCases (task#1) "
                        + "on ThreadPoolExecutor#1 was interrupted while running on thread \"pool-")
                .contains("interrupted by shutdownNow() at dev.gracefulshutdown.TaskViolationsTest$InterruptedTestCases.lambda$hookCallsShutdownNow")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$InterruptedTestCases (task#2)")
                .contains("executor shut down with shutdownNow() at");
        Fixtures.assertPassed(events, "hookCallsShutdownAndAwaits", "shutdownNowOnAnIdlePoolLosesNothing");
    }

    @Test
    void delayedTaskNeverStartedBeforeTheHaltIsDropped() {
        Events events = Fixtures.tests(DroppedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "delayedTaskWithoutHook"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$DroppedTestCases (task#1) "
                        + "on ScheduledThreadPoolExecutor#1 was accepted but never started")
                .contains("executor never shut down")
                .contains("fix: let queued tasks run before the halt");
        assertThat(Fixtures.failureMessage(events, "delayedTaskDrainedByShutdownNow"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$DroppedTestCases (task#1) "
                        + "on ScheduledThreadPoolExecutor#1 was accepted but never started")
                .contains("executor shut down with shutdownNow() at");
        Fixtures.assertPassed(events, "hookDrainsDelayedTasks", "periodicTasksAreNotDropped", "cancelledBeforeShutdownIsNotDropped");
    }

    @Test
    void taskThatHitsAResourceClosedByTheShutdownFails() {
        Events events = Fixtures.tests(FailedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "resourceClosedUnderRunningTask"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$FailedTestCases (task#1)")
                .contains("failed during the shutdown with java.lang.IllegalStateException: connection pool closed")
                .contains("fix: keep what a task uses");
        assertThat(Fixtures.failureMessage(events, "completableFutureHitsTheClosedResource"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$FailedTestCases (task#1)")
                .contains("failed during the shutdown with java.lang.IllegalStateException: connection pool closed");
        // the worker signals its pool's termination (the hook returns, the JVM halts) before its task's exception
        // reaches the end of runWorker: the task failed all the same, it was not cleanly done
        assertThat(Fixtures.failureMessage(events, "failureStillLeavingTheWorkerAtTheHalt"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$FailedTestCases")
                .contains("failed during the shutdown with an exception the kit did not see (the JVM halted while its "
                        + "worker was leaving the task)")
                .doesNotContain("ABANDONED_TASK");
        Fixtures.assertPassed(events, "executorAwaitedBeforeTheResourceCloses", "failureBeforeTheShutdownIsTheApplicationsBusiness");
    }

    @Test
    void submissionToAnExecutorAlreadyShutDownIsRejectedOrDropped() {
        Events events = Fixtures.tests(RejectedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "followUpSubmittedAfterShutdownIsRefused"))
                .contains("1 violation")
                .contains("REJECTED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$RejectedTestCases (task#2)")
                .contains("was rejected because the executor was already shut down")
                .contains("executor shut down at dev.gracefulshutdown.Work.drain(Work.java:");
        assertThat(Fixtures.failureMessage(events, "followUpSubmittedAfterShutdownIsDiscarded"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$RejectedTestCases (task#2)")
                .contains("was thrown away by ThreadPoolExecutor.DiscardPolicy: it never ran, and nothing was told");
        Fixtures.assertPassed(events, "followUpDoneInline", "saturationIsNotAShutdownProblem");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class AbandonedTestCases {
        @Test
        void reportInFlightWithoutHook() {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            AtomicReference<Thread> worker = new AtomicReference<>();
            pool.execute(() -> {
                worker.set(Thread.currentThread());
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> worker.get() != null && worker.get().getState() == Thread.State.TIMED_WAITING);
        }

        @Test
        void hookShutsDownWithoutAwaiting() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            Runtime.getRuntime().addShutdownHook(new Thread(pool::shutdown));
            started.await();
        }

        @Test
        void hookShutsDownAndAwaits() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping); // the report finishes once the shutdown begins
            });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, stopping));
            started.await();
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class InterruptedTestCases {
        @Test
        void hookCallsShutdownNow() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            pool.execute(() -> { });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> pool.shutdownNow()));
            started.await();
        }

        @Test
        void hookCallsShutdownAndAwaits() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
            });
            pool.execute(() -> { });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, stopping));
            started.await();
        }

        @Test
        void shutdownNowOnAnIdlePoolLosesNothing() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { }).get();
            Runtime.getRuntime().addShutdownHook(new Thread(pool::shutdownNow));
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class DroppedTestCases {
        @Test
        void delayedTaskWithoutHook() {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
        }

        @Test
        void hookDrainsDelayedTasks() {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            scheduler.schedule(() -> { }, 50, TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                scheduler.shutdown(); // delayed one-shot tasks still run after shutdown() by default
                try {
                    scheduler.awaitTermination(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }

        @Test
        void periodicTasksAreNotDropped() {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            scheduler.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdown));
        }

        @Test
        void delayedTaskDrainedByShutdownNow() {
            // a library's own housekeeping dropped when it closes is not lost (HikariCP in the Spring examples); the
            // application's own delayed task is
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
            housekeeping.schedule(() -> { }, 30, TimeUnit.MINUTES);
            Runtime.getRuntime().addShutdownHook(new Thread(housekeeping::shutdownNow));
        }

        @Test
        void cancelledBeforeShutdownIsNotDropped() {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            scheduler.schedule(() -> { }, 1, TimeUnit.HOURS).cancel(false);
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class FailedTestCases {
        @Test
        void resourceClosedUnderRunningTask() throws InterruptedException {
            ConnectionPool connections = new ConnectionPool();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(connections.closing);
                connections.query();
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                connections.close(); // closed first, while the task still needs it
                Work.drain(pool, new CountDownLatch(0));
            }));
            started.await();
        }

        @Test
        void failureStillLeavingTheWorkerAtTheHalt() throws InterruptedException {
            ConnectionPool connections = new ConnectionPool();
            CountDownLatch terminated = new CountDownLatch(1);
            CountDownLatch judged = new CountDownLatch(1);
            ExecutorService pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                @Override
                protected void terminated() { // on the worker, on its way out: the hook goes on, the worker stays
                    terminated.countDown();
                    LingeringThreadTest.await(judged);
                }
            };
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(connections.closing);
                connections.query();
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdown(); // first: the worker that throws is the last, and terminates the pool
                connections.close();
                LingeringThreadTest.await(terminated);
            }));
            started.await();
        }

        @Test
        void completableFutureHitsTheClosedResource() throws InterruptedException {
            ConnectionPool connections = new ConnectionPool();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                started.countDown();
                LingeringThreadTest.await(connections.closing);
                connections.query();
                return "exported";
            }, pool);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                connections.close(); // closed first, while the task still needs it
                Work.drain(pool, new CountDownLatch(0));
            }));
            started.await();
        }

        @Test
        void executorAwaitedBeforeTheResourceCloses() throws InterruptedException {
            ConnectionPool connections = new ConnectionPool();
            CountDownLatch stopping = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
                connections.query();
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Work.drain(pool, stopping);
                connections.close(); // closed once the executor has terminated
            }));
            started.await();
        }

        @Test
        void failureBeforeTheShutdownIsTheApplicationsBusiness() throws Exception {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            pool.submit(() -> {
                throw new IllegalStateException("bad input");
            });
            pool.shutdown();
            pool.awaitTermination(3, TimeUnit.SECONDS);
        }

        static final class ConnectionPool {
            final CountDownLatch closing = new CountDownLatch(1);
            final AtomicBoolean closed = new AtomicBoolean();

            void close() {
                closed.set(true);
                closing.countDown();
            }

            void query() {
                if (closed.get()) {
                    throw new IllegalStateException("connection pool closed");
                }
            }
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class RejectedTestCases {
        @Test
        void followUpSubmittedAfterShutdownIsRefused() throws InterruptedException {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
                try {
                    pool.execute(() -> { }); // follow-up work, refused
                } catch (java.util.concurrent.RejectedExecutionException refused) {
                    // logged and lost
                }
            });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, stopping));
            started.await();
        }

        @Test
        void followUpSubmittedAfterShutdownIsDiscarded() throws InterruptedException {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    new ThreadPoolExecutor.DiscardPolicy());
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
                pool.execute(() -> { }); // follow-up work, silently discarded
            });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, stopping));
            started.await();
        }

        @Test
        void followUpDoneInline() throws InterruptedException {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    new ThreadPoolExecutor.DiscardPolicy());
            pool.execute(() -> { });
            pool.shutdown();
            pool.awaitTermination(3, TimeUnit.SECONDS);
        }

        @Test
        void saturationIsNotAShutdownProblem() throws InterruptedException {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>());
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> LingeringThreadTest.await(release));
            try {
                pool.execute(() -> { }); // refused: the only thread is busy; the caller knows, not a shutdown problem
            } catch (java.util.concurrent.RejectedExecutionException refused) {
                // the caller's business
            }
            release.countDown();
            pool.shutdown();
            pool.awaitTermination(3, TimeUnit.SECONDS);
        }
    }
}
