package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.acmevendor.sessions.SessionWatchdog;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Netty's {@code HashedWheelTimer}: its timeouts are tasks, each with where it was set. One still waiting at the halt
 * never runs, {@code stop()} cancels those still waiting and interrupts the one it runs, and what a {@code TimerTask}
 * throws the timer catches and logs.
 */
class NettyTimerTest {

    @Test
    void aTimeoutStillWaitingAtTheHaltIsDroppedWithWhereItWasSet() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "timeoutWaitingAtTheHalt"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyTimerTest$TimerTestCases (task#1) on Netty's "
                        + "HashedWheelTimer#1 was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.NettyTimerTest$TimerTestCases.timeoutWaitingAtTheHalt(")
                .contains("fix: a Netty HashedWheelTimer cannot be drained");
    }

    @Test
    void stopCancelsTheTimeoutsStillWaiting() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookStopsTheTimerWithATimeoutWaiting"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyTimerTest$TimerTestCases (task#1) on Netty's "
                        + "HashedWheelTimer#1 was thrown away by stop() of Netty's HashedWheelTimer#1 (it cancels the timeouts "
                        + "still waiting and hands them back)");
    }

    @Test
    void aTimeoutRunningAtTheHaltOrInterruptedByStopLostItsWork() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "timeoutRunningAtTheHalt"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.NettyTimerTest (task#1) on Netty's "
                        + "HashedWheelTimer#1 was still running on thread")
                .contains("submitted at dev.gracefulshutdown.NettyTimerTest.busyTimeout(");
        assertThat(Fixtures.failureMessage(events, "hookStopsTheTimerWhileATimeoutRuns"))
                .contains("1 violation")
                .contains("INTERRUPTED_TASK: task lambda in dev.gracefulshutdown.NettyTimerTest (task#1) on Netty's "
                        + "HashedWheelTimer#1 was interrupted while running")
                .contains("interrupted by io.netty.util.HashedWheelTimer.stop(");
    }

    @Test
    void whatATimerTaskThrowsDuringTheShutdownTheTimerOnlyLogs() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "timerTaskFailsDuringTheShutdown"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.NettyTimerTest$TimerTestCases (task#1) on Netty's "
                        + "HashedWheelTimer#1 failed during the shutdown with java.lang.IllegalStateException: database closed")
                .contains("caught at Netty's HashedWheelTimer (a TimerTask's exception is logged as \"An exception was thrown by "
                        + "TimerTask.\") and not rethrown");
        Fixtures.assertPassed(events, "timerTaskFailedBeforeTheShutdown");
    }

    @Test
    void aTimerNeverStoppedKeepsTheJvmAliveAfterMainReturns() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "timerNeverStopped"))
                .contains("1 violation")
                .contains("LINGERING_THREAD: non-daemon thread")
                .contains("via io.netty.util.HashedWheelTimer.start(")
                .contains("fix: call stop() on the HashedWheelTimer when the application stops");
    }

    @Test
    void timeoutsThatRanRepeatWereCancelledOrAreTheLibrarysOwnLoseNothing() {
        Events events = Fixtures.tests(TimerTestCases.class, GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor");

        Fixtures.assertPassed(events, "ranThenStopped", "ownerCancelledItsTimeout", "repeatingTimeoutStoppedInAHook",
                "hookAwaitsTheTimeoutThenStops", "timerTaskFailedBeforeTheShutdown", "aLibrarysWatchdogWaitingAtTheHalt",
                "hookStopsTheTimerAndRunsWhatItHandsBack");
        assertThat(Fixtures.failureMessage(events, "timeoutWaitingAtTheHalt")).contains("1 violation").contains("DROPPED_TASK");
    }

    @Test
    void theKitStopsTheTimersATestLeftRunning() {
        Fixtures.tests(TimerTestCases.class);

        // their threads are not daemons and ignore interrupts: left running, they would outlive the test JVM's tests
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().equals(THREAD) && thread.isAlive()));
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(TimerTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true",
                GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor");

        assertThat(Fixtures.failureMessage(events, "timeoutWaitingAtTheHalt"))
                .contains("1 violation").contains("DROPPED_TASK").contains("forked JVM");
        assertThat(Fixtures.failureMessage(events, "hookStopsTheTimerWithATimeoutWaiting"))
                .contains("1 violation").contains("DROPPED_TASK").contains("thrown away by stop() of Netty's HashedWheelTimer#1");
        assertThat(Fixtures.failureMessage(events, "timerTaskFailsDuringTheShutdown"))
                .contains("1 violation").contains("FAILED_TASK").contains("caught at Netty's HashedWheelTimer");
        Fixtures.assertPassed(events, "repeatingTimeoutStoppedInAHook", "hookAwaitsTheTimeoutThenStops",
                "aLibrarysWatchdogWaitingAtTheHalt", "hookStopsTheTimerAndRunsWhatItHandsBack");
    }

    static volatile boolean databaseClosed;

    static void write() {
        if (databaseClosed) {
            throw new IllegalStateException("database closed");
        }
    }

    /** A timeout that runs at once, says it started, and works until {@code release} (or 10 s). */
    static void busyTimeout(HashedWheelTimer timer, CountDownLatch started, CountDownLatch release) throws InterruptedException {
        timer.newTimeout(timeout -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 1, TimeUnit.MILLISECONDS);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Returns once a timeout set now has run and returned: the timer's one thread has finished what it ran before it,
     * and is back asleep between ticks (a stop() right after the latch alone could interrupt this timeout returning).
     */
    static void afterTheTimeoutsRunningNow(HashedWheelTimer timer) {
        CountDownLatch ran = new CountDownLatch(1);
        Thread[] worker = new Thread[1];
        timer.newTimeout(timeout -> {
            worker[0] = Thread.currentThread();
            ran.countDown();
        }, 1, TimeUnit.MILLISECONDS);
        try {
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Awaitility.await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> worker[0].getState() == Thread.State.TIMED_WAITING); // no thread of Awaitility's in a hook
    }

    static final String THREAD = "NettyTimerTest-wheel";

    static HashedWheelTimer timer() {
        return new HashedWheelTimer(task -> new Thread(task, THREAD), 10, TimeUnit.MILLISECONDS);
    }

    static void inAHook(Runnable hook) {
        Runtime.getRuntime().addShutdownHook(new Thread(hook));
    }

    @GracefulShutdownTest(gracePeriod = "3s")
    static class TimerTestCases {
        @BeforeEach
        void openTheDatabase() {
            databaseClosed = false;
        }

        @Test
        void timeoutWaitingAtTheHalt() {
            timer().newTimeout(timeout -> write(), 1, TimeUnit.HOURS);
        }

        @Test
        void hookStopsTheTimerWithATimeoutWaiting() {
            HashedWheelTimer timer = timer();
            timer.newTimeout(timeout -> write(), 1, TimeUnit.HOURS);
            inAHook(timer::stop);
        }

        @Test
        void timeoutRunningAtTheHalt() throws InterruptedException {
            busyTimeout(timer(), new CountDownLatch(1), new CountDownLatch(1));
        }

        @Test
        void hookStopsTheTimerWhileATimeoutRuns() throws InterruptedException {
            HashedWheelTimer timer = timer();
            busyTimeout(timer, new CountDownLatch(1), new CountDownLatch(1));
            inAHook(timer::stop);
        }

        @Test
        void timerTaskFailsDuringTheShutdown() throws InterruptedException {
            HashedWheelTimer timer = timer();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            timer.newTimeout(timeout -> {
                started.countDown();
                closed.await(10, TimeUnit.SECONDS);
                write();
            }, 1, TimeUnit.MILLISECONDS);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            inAHook(() -> {
                databaseClosed = true;
                closed.countDown();
                afterTheTimeoutsRunningNow(timer); // the failed task has left the timer's catch block
                timer.stop();
            });
        }

        @Test
        void timerTaskFailedBeforeTheShutdown() throws InterruptedException {
            databaseClosed = true;
            HashedWheelTimer timer = timer();
            CountDownLatch done = new CountDownLatch(1);
            timer.newTimeout(timeout -> {
                try {
                    write();
                } finally {
                    done.countDown();
                }
            }, 1, TimeUnit.MILLISECONDS);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            afterTheTimeoutsRunningNow(timer); // the failed task has left the timer's catch block
            inAHook(timer::stop);
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "200ms")
        void timerNeverStopped() throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            timer().newTimeout(timeout -> ran.countDown(), 1, TimeUnit.MILLISECONDS);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void ranThenStopped() throws InterruptedException {
            HashedWheelTimer timer = timer();
            CountDownLatch ran = new CountDownLatch(1);
            timer.newTimeout(timeout -> ran.countDown(), 1, TimeUnit.MILLISECONDS);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            timer.stop();
        }

        @Test
        void ownerCancelledItsTimeout() {
            HashedWheelTimer timer = timer();
            Timeout timeout = timer.newTimeout(t -> write(), 1, TimeUnit.HOURS);
            inAHook(() -> {
                timeout.cancel();
                timer.stop();
            });
        }

        @Test
        void repeatingTimeoutStoppedInAHook() throws InterruptedException {
            HashedWheelTimer timer = timer();
            CountDownLatch ran = new CountDownLatch(3);
            timer.newTimeout(new TimerTask() {
                @Override
                public void run(Timeout timeout) {
                    timeout.timer().newTimeout(this, ran.getCount() > 1 ? 10 : 3_600_000, TimeUnit.MILLISECONDS);
                    ran.countDown();
                }
            }, 1, TimeUnit.MILLISECONDS);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            afterTheTimeoutsRunningNow(timer); // its next run waits: stop() cancels it, and interrupts no run
            inAHook(timer::stop);
        }

        @Test
        void hookAwaitsTheTimeoutThenStops() {
            HashedWheelTimer timer = timer();
            CountDownLatch flushed = new CountDownLatch(1);
            timer.newTimeout(timeout -> {
                write();
                flushed.countDown();
            }, 200, TimeUnit.MILLISECONDS);
            inAHook(() -> {
                try {
                    flushed.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                timer.stop();
                databaseClosed = true;
            });
        }

        @Test
        void hookStopsTheTimerAndRunsWhatItHandsBack() {
            HashedWheelTimer timer = timer();
            timer.newTimeout(timeout -> write(), 1, TimeUnit.HOURS);
            inAHook(() -> {
                for (Timeout handedBack : timer.stop()) {
                    try {
                        handedBack.task().run(handedBack);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                databaseClosed = true;
            });
        }

        @Test
        void aLibrarysWatchdogWaitingAtTheHalt() {
            SessionWatchdog.watch(timer());
        }
    }
}
