package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Tasks scheduled on a {@code java.util.Timer}: its thread dies at the halt with every task still scheduled, and
 * {@code timer.cancel()} throws them away. Judged task by task, as a scheduled executor's are.
 */
class TimerTasksTest {

    @Test
    void aOneShotTaskStillScheduledAtTheHaltIsDroppedOnADaemonTimerAndOnAPlainOne() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "daemonTimerTaskNeverRuns"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task dev.gracefulshutdown.TimerTasksTest$Reminder (task#1) on java.util.Timer \"reminders\" "
                        + "was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.TimerTasksTest.scheduleAnHourAhead(TimerTasksTest.java:")
                .contains("fix: a java.util.Timer cannot be drained or awaited");
        assertThat(Fixtures.failureMessage(events, "nonDaemonTimerTaskNeverRuns"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task dev.gracefulshutdown.TimerTasksTest$Reminder (task#1) on java.util.Timer \"Timer-")
                .contains("was accepted but never started");
    }

    @Test
    void timerCancelThrowsAwayTheTasksStillScheduled() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookCancelsTheTimerWithATaskPending"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task dev.gracefulshutdown.TimerTasksTest$Reminder (task#1) on java.util.Timer \"reminders\" "
                        + "was thrown away by timer.cancel()")
                .contains("fix: a java.util.Timer cannot be drained or awaited");
    }

    @Test
    void aTaskRunningOnTheTimerAtTheHaltIsAbandonedOnceAsATask() {
        Events events = Fixtures.tests(TimerTestCases.class);

        String message = Fixtures.failureMessage(events, "taskRunningAtTheHalt");
        assertThat(message)
                .contains("1 violation")
                .contains("ABANDONED_TASK: task dev.gracefulshutdown.TimerTasksTest$Slow (task#1) on java.util.Timer \"reports\" "
                        + "was still running on thread \"reports\" when the JVM halted")
                .contains("at the halt: WAITING in java.util.concurrent.CountDownLatch.await");
    }

    @Test
    void tasksThatRanWereCancelledOrRepeatLoseNothing() {
        Events events = Fixtures.tests(TimerTestCases.class);

        Fixtures.assertPassed(events, "taskRanBeforeTheShutdown", "ownerCancelledTheTask", "periodicTaskOnADaemonTimer",
                "hookRunsThePendingTaskItself", "manyTasksRanOnOneTimer");
    }

    @Test
    void aTimerCancelledBeforeTheTaskIsScheduledRejectsItDuringTheShutdown() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookSchedulesOnACancelledTimer"))
                .contains("REJECTED_TASK: task dev.gracefulshutdown.TimerTasksTest$Reminder (task#1) on java.util.Timer \"reminders\" "
                        + "was rejected");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ForkedTimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "daemonTimerTaskNeverRuns"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task dev.gracefulshutdown.TimerTasksTest$Reminder (task#1) on java.util.Timer \"reminders\" "
                        + "was accepted but never started");
        Fixtures.assertPassed(events, "taskRanBeforeTheShutdown");
    }

    /** A reminder an hour ahead on a daemon timer: still scheduled at the halt. */
    static void scheduleAnHourAhead() {
        new Timer("reminders", true).schedule(new Reminder(), TimeUnit.HOURS.toMillis(1));
    }

    /** A reminder that runs at once, awaited. */
    static void scheduleAndAwait() throws InterruptedException {
        Reminder reminder = new Reminder();
        new Timer("reminders", true).schedule(reminder, 1);
        reminder.ran.await(TimerTasksTest.class);
    }

    static final class Reminder extends TimerTask {
        final Fixtures.Reached ran = new Fixtures.Reached();

        @Override
        public void run() {
            ran.signal();
        }
    }

    static final class Slow extends TimerTask {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread runsOn;

        @Override
        public void run() {
            runsOn = Thread.currentThread();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @GracefulShutdownTest
    static class TimerTestCases {
        @Test
        void daemonTimerTaskNeverRuns() {
            scheduleAnHourAhead();
        }

        @Test
        void nonDaemonTimerTaskNeverRuns() {
            new Timer().schedule(new Reminder(), TimeUnit.HOURS.toMillis(1));
        }

        @Test
        void hookCancelsTheTimerWithATaskPending() {
            Timer timer = new Timer("reminders", true);
            timer.schedule(new Reminder(), TimeUnit.HOURS.toMillis(1));
            Runtime.getRuntime().addShutdownHook(new Thread(timer::cancel));
        }

        @Test
        void taskRunningAtTheHalt() throws InterruptedException {
            Slow slow = new Slow();
            new Timer("reports", true).schedule(slow, 0);
            assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();
            // parked in its latch, not still on its way there: the message says what it is doing at the halt
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow.runsOn.getState() == Thread.State.WAITING);
        }

        @Test
        void taskRanBeforeTheShutdown() throws InterruptedException {
            scheduleAndAwait();
        }

        @Test
        void manyTasksRanOnOneTimer() throws InterruptedException {
            Timer timer = new Timer("reminders");
            for (int i = 0; i < 5; i++) {
                Reminder reminder = new Reminder();
                timer.schedule(reminder, 0);
                reminder.ran.await(TimerTasksTest.class);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(timer::cancel));
        }

        @Test
        void ownerCancelledTheTask() {
            Reminder reminder = new Reminder();
            new Timer("reminders", true).schedule(reminder, TimeUnit.HOURS.toMillis(1));
            reminder.cancel();
        }

        @Test
        void periodicTaskOnADaemonTimer() {
            new Timer("heartbeat", true).schedule(new Reminder(), TimeUnit.HOURS.toMillis(1), TimeUnit.HOURS.toMillis(1));
        }

        @Test
        void hookRunsThePendingTaskItself() {
            Timer timer = new Timer("reminders", true);
            Reminder reminder = new Reminder();
            timer.schedule(reminder, TimeUnit.HOURS.toMillis(1));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                timer.cancel();
                if (reminder.cancel()) {
                    reminder.run(); // it had not run: run it now, before the halt
                }
            }));
        }

        @Test
        void hookSchedulesOnACancelledTimer() {
            Timer timer = new Timer("reminders", true);
            timer.cancel();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    timer.schedule(new Reminder(), 0);
                } catch (IllegalStateException alreadyCancelled) {
                    // what the application would log
                }
            }));
        }
    }

    @GracefulShutdownTest(fork = true)
    static class ForkedTimerTestCases {
        @Test
        void daemonTimerTaskNeverRuns() {
            scheduleAnHourAhead();
        }

        @Test
        void taskRanBeforeTheShutdown() throws InterruptedException {
            scheduleAndAwait();
        }
    }
}
