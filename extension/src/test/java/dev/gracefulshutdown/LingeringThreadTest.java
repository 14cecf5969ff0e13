package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class LingeringThreadTest {

    @Test
    void poolNeverShutDownKeepsTheJvmAliveAfterMainReturnsAndIsReportedAtOnce() {
        Events events = Fixtures.tests(MainReturnTestCases.class);

        String message = Fixtures.failureMessage(events, "poolNeverShutDown");
        assertThat(message)
                .contains("Graceful shutdown after main returned (the JVM would not exit within the exit timeout")
                .contains("LINGERING_THREAD: non-daemon thread \"pool-")
                .contains("(and 1 more of the same pool) keeps the JVM alive after main returns")
                .contains("pool ThreadPoolExecutor[core=2, max=2, keepAlive=0 s] created at "
                        + "dev.gracefulshutdown.LingeringThreadTest$MainReturnTestCases.poolNeverShutDown(LingeringThreadTest.java:")
                .contains("why: it is a worker of a pool that is never shut down")
                .contains("now: WAITING in java.util.concurrent.LinkedBlockingQueue.take")
                .contains("fix: shut the pool down when the application stops");
        Fixtures.assertPassed(events, "poolShutDown", "poolClosedInFinally");
    }

    @Test
    void theNeverEndingVerdictDoesNotWaitForTheExitTimeout() {
        Events events = Fixtures.tests(MainReturnTestCases.class);

        // The exit timeout is 30 s in this fixture; the verdict must not have waited for it (the fixture asserts
        // that first: it would fail with that instead of the verdict)
        assertThat(Fixtures.failureMessage(events, "poolNeverShutDown")).startsWith("Graceful shutdown after main returned")
                .contains("LINGERING_THREAD");
    }

    @Test
    void keepAliveDecidesWhetherAPoolWithCoreThreadTimeOutLetsTheJvmExit() {
        Events events = Fixtures.tests(KeepAliveTestCases.class);

        Fixtures.assertPassed(events, "shortKeepAliveEndsWithinTheExitTimeout");
        assertThat(Fixtures.failureMessage(events, "defaultKeepAliveOutlastsTheExitTimeout"))
                .contains("LINGERING_THREAD")
                .contains("keepAlive=60 s, allowCoreThreadTimeOut")
                .contains("it ends only when its keep-alive of 60 s expires, after the exit timeout of 2 s")
                .contains("fix: shut the pool down when the work is done, or shorten its keep-alive");
    }

    @Test
    void timerNeverCancelledIsReportedWithTheTimerFix() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "timerNeverCancelled"))
                .contains("LINGERING_THREAD: non-daemon thread \"Timer-")
                .contains("started at dev.gracefulshutdown.LingeringThreadTest$TimerTestCases.timerNeverCancelled")
                .contains("thread of a java.util.Timer that is never cancelled")
                .contains("fix: call timer.cancel()");
        Fixtures.assertPassed(events, "timerCancelled", "daemonTimer");
    }

    @Test
    void plainThreadsAreWaitedForUpToTheExitTimeout() {
        Events events = Fixtures.tests(PlainThreadTestCases.class);

        Fixtures.assertPassed(events, "threadThatEndsByItself", "daemonCleanupLoopIsNotBlamed");
        assertThat(Fixtures.failureMessage(events, "threadThatNeverEnds"))
                .contains("LINGERING_THREAD: non-daemon thread \"stuck-consumer\" keeps the JVM alive")
                .contains("why: still running 300 ms after main returned (the exit timeout)")
                .contains("started at dev.gracefulshutdown.LingeringThreadTest$PlainThreadTestCases.threadThatNeverEnds");
    }

    @Test
    void onSigtermANonDaemonThreadStillRunningAtTheHaltIsKilledMidWork() {
        Events events = Fixtures.tests(SigtermTestCases.class);

        assertThat(Fixtures.failureMessage(events, "workerThreadKilledAtHalt"))
                .contains("Graceful shutdown after SIGTERM (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: work on non-daemon thread \"exporter\" was still running when the JVM halted")
                .contains("fix: signal the thread to stop from a shutdown hook");
        Fixtures.assertPassed(events, "workerThreadStoppedByHook", "idlePoolWorkersAreNotBlamedOnSigterm",
                "daemonCleanupLoopIsNotBlamed");
    }

    @Test
    void aWorkerOfATerminatedPoolIsNeverBlamedEvenWithNoExitTimeout() {
        Events events = Fixtures.tests(ExitingWorkerTestCases.class);

        assertThat(events.finished().count()).isEqualTo(200);
        assertThat(events.failed().count()).as("runs that blamed a worker of a terminated pool").isZero();
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "0s")
    static class ExitingWorkerTestCases {
        @org.junit.jupiter.api.RepeatedTest(200)
        void poolShutDownAndAwaited() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { });
            pool.submit(() -> { });
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "30s")
    static class MainReturnTestCases {
        @Test
        void poolNeverShutDown(ShutdownSimulator jvm) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { });
            pool.submit(() -> { });
            assertThat(jvm.mainReturn().timings().waitingForThreads()).isLessThan(Duration.ofSeconds(5));
        }

        @Test
        void poolShutDown() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { });
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }

        @Test
        void poolClosedInFinally() {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                pool.submit(() -> { });
            } finally {
                pool.shutdown(); // no await: main returns, the JVM waits for the workers by itself
            }
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "2s")
    static class KeepAliveTestCases {
        @Test
        void shortKeepAliveEndsWithinTheExitTimeout() {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 100, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            pool.allowCoreThreadTimeOut(true);
            pool.execute(() -> { });
        }

        @Test
        void defaultKeepAliveOutlastsTheExitTimeout() {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            pool.allowCoreThreadTimeOut(true);
            pool.execute(() -> { });
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class TimerTestCases {
        /** Held like an application holds its timer: an unreachable Timer's thread ends by itself. */
        static final java.util.List<Timer> HELD = new java.util.ArrayList<>();

        @Test
        void timerNeverCancelled() throws InterruptedException {
            Timer timer = new Timer();
            HELD.add(timer);
            CountDownLatch ran = new CountDownLatch(1);
            timer.schedule(task(ran), 1);
            ran.await(5, TimeUnit.SECONDS);
        }

        @Test
        void timerCancelled() throws InterruptedException {
            Timer timer = new Timer();
            CountDownLatch ran = new CountDownLatch(1);
            timer.schedule(task(ran), 1);
            ran.await(5, TimeUnit.SECONDS);
            timer.cancel();
        }

        @Test
        void daemonTimer() throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            new Timer(true).schedule(task(ran), 1);
            ran.await(5, TimeUnit.SECONDS); // a task still scheduled when the JVM exits is lost (TimerTasksTest)
        }

        private static TimerTask task(CountDownLatch ran) {
            return new TimerTask() {
                @Override
                public void run() {
                    ran.countDown();
                }
            };
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "300ms")
    static class PlainThreadTestCases {
        @Test
        void threadThatEndsByItself() {
            CountDownLatch go = new CountDownLatch(1);
            Thread worker = new Thread(() -> await(go), "finishing-worker");
            worker.start();
            go.countDown();
        }

        @Test
        void threadThatNeverEnds() {
            CountDownLatch never = new CountDownLatch(1);
            new Thread(() -> await(never), "stuck-consumer").start();
        }

        @Test
        void daemonCleanupLoopIsNotBlamed() {
            Thread cleanup = new Thread(() -> await(new CountDownLatch(1)), "session-cleanup");
            cleanup.setDaemon(true);
            cleanup.start();
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class SigtermTestCases {
        @Test
        void workerThreadKilledAtHalt() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            new Thread(() -> {
                started.countDown();
                await(new CountDownLatch(1));
            }, "exporter").start();
            started.await();
        }

        @Test
        void workerThreadStoppedByHook() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stop = new CountDownLatch(1);
            Thread exporter = new Thread(() -> {
                started.countDown();
                await(stop);
            }, "exporter");
            exporter.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    exporter.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            started.await();
        }

        @Test
        void idlePoolWorkersAreNotBlamedOnSigterm() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { }).get();
        }

        @Test
        void daemonCleanupLoopIsNotBlamed() {
            Thread cleanup = new Thread(() -> await(new CountDownLatch(1)), "session-cleanup");
            cleanup.setDaemon(true);
            cleanup.start();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
