package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Spring's schedulers close the way Spring wrote them: {@code SimpleAsyncTaskScheduler.close()} and
 * {@code ThreadPoolTaskScheduler}'s shutdown (without waiting for tasks) call {@code shutdownNow()} and cancel what it
 * hands back, so a one-shot task the application scheduled and that was not yet due is thrown away: the user's
 * {@code DROPPED_TASK}, though a library cancelled it. A periodic task's next run is not work lost. A task running on
 * {@code SimpleAsyncTaskScheduler}'s thread of its own is cut off at the halt unless the scheduler waits for it
 * ({@code setTaskTerminationTimeout}).
 */
class SpringSchedulersTest {

    @Test
    void aDelayedTaskThatSpringsCloseThrowsAwayIsTheUsersDroppedTask() {
        Events events = Fixtures.tests(SchedulerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "simpleSchedulerClosedWithAReminderPending")).contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.SpringSchedulersTest$SchedulerTestCases, inside "
                        + "lambda in org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler")
                .contains("submitted at dev.gracefulshutdown.SpringSchedulersTest$SchedulerTestCases.simpleSchedulerClosedWithAReminderPending")
                .contains("shutdownNow() at org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler.close");
        assertThat(Fixtures.failureMessage(events, "threadPoolSchedulerShutDownWithAReminderPending")).contains("1 violation")
                .contains("DROPPED_TASK")
                .contains("submitted at dev.gracefulshutdown.SpringSchedulersTest$SchedulerTestCases.threadPoolSchedulerShutDownWithAReminderPending")
                .contains("shutdownNow() at org.springframework.scheduling.concurrent.ExecutorConfigurationSupport");
        Fixtures.assertPassed(events, "threadPoolSchedulerWaitsForTheReminder");
    }

    /** A cron trigger's next run, rescheduled after each run as a one-shot delayed task, is a periodic task's next run. */
    @Test
    void theNextRunOfACronTaskIsNotWorkLost() {
        Events events = Fixtures.tests(SchedulerTestCases.class);

        Fixtures.assertPassed(events, "threadPoolSchedulerShutDownWithACronJob", "simpleSchedulerClosedWithACronJob",
                "guavaCustomScheduleNeverStopped", "guavaCustomScheduleStoppedInAHook");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(SchedulerTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "simpleSchedulerClosedWithAReminderPending")).contains("1 violation")
                .contains("DROPPED_TASK").contains("forked JVM");
        assertThat(Fixtures.failureMessage(events, "simpleSchedulerClosedWithoutWaiting")).contains("1 violation")
                .contains("ABANDONED_TASK");
        Fixtures.assertPassed(events, "threadPoolSchedulerWaitsForTheReminder", "simpleSchedulerClosedWithATerminationTimeout");
    }

    @Test
    void aRunningTaskOfTheSimpleSchedulerIsCutOffUnlessItWaits() {
        Events events = Fixtures.tests(SchedulerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "simpleSchedulerClosedWithoutWaiting")).contains("1 violation")
                .contains("ABANDONED_TASK").contains("at the halt: TIMED_WAITING").contains("dev.gracefulshutdown.SpringSchedulersTest$SchedulerTestCases.export(")
                .contains("setTaskTerminationTimeout");
        Fixtures.assertPassed(events, "simpleSchedulerClosedWithATerminationTimeout");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class SchedulerTestCases {

        static void export(CountDownLatch running, CountDownLatch never, java.util.concurrent.atomic.AtomicReference<Thread> on) {
            on.set(Thread.currentThread());
            running.countDown();
            try {
                never.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** A scheduler whose periodic export is running on its thread of its own. */
        static SimpleAsyncTaskScheduler exporting(long terminationTimeoutMillis) throws InterruptedException {
            SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
            scheduler.setTaskTerminationTimeout(terminationTimeoutMillis);
            scheduler.start();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Thread> on = new java.util.concurrent.atomic.AtomicReference<>();
            scheduler.scheduleAtFixedRate(() -> export(running, never, on), Duration.ofMinutes(10));
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            // the export is waiting, not still leaving countDown(), when the test ends and SIGTERM comes
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> on.get().getState() == Thread.State.TIMED_WAITING);
            return scheduler;
        }

        @Test
        void simpleSchedulerClosedWithoutWaiting() throws InterruptedException {
            SimpleAsyncTaskScheduler scheduler = exporting(0);
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close));
        }

        @Test
        void simpleSchedulerClosedWithATerminationTimeout() throws InterruptedException {
            SimpleAsyncTaskScheduler scheduler = exporting(3_000);
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close));
        }

        @Test
        void simpleSchedulerClosedWithAReminderPending() {
            SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
            scheduler.start();
            scheduler.schedule(() -> System.out.println("payment reminder sent"), Instant.now().plusSeconds(60));
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close));
        }

        @Test
        void threadPoolSchedulerShutDownWithAReminderPending() {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.initialize();
            scheduler.schedule(() -> System.out.println("payment reminder sent"), Instant.now().plusSeconds(60));
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdown));
        }

        @Test
        void threadPoolSchedulerShutDownWithACronJob() {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.initialize();
            scheduler.schedule(() -> System.out.println("hourly report"), new org.springframework.scheduling.support.CronTrigger("0 0 * * * *"));
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdown));
        }

        @Test
        void simpleSchedulerClosedWithACronJob() {
            SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
            scheduler.start();
            scheduler.schedule(() -> System.out.println("hourly report"), new org.springframework.scheduling.support.CronTrigger("0 0 * * * *"));
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close));
        }

        /** Guava's service on a custom schedule: each run schedules the next, one delay at a time. */
        static final class HourlyPoller extends com.google.common.util.concurrent.AbstractScheduledService {
            @Override
            protected void runOneIteration() {
                System.out.println("polled");
            }

            @Override
            protected Scheduler scheduler() {
                return new CustomScheduler() {
                    @Override
                    protected Schedule getNextSchedule() {
                        return new Schedule(1, TimeUnit.HOURS);
                    }
                };
            }
        }

        @Test
        void guavaCustomScheduleNeverStopped() {
            new HourlyPoller().startAsync().awaitRunning();
        }

        @Test
        void guavaCustomScheduleStoppedInAHook() {
            HourlyPoller poller = new HourlyPoller();
            poller.startAsync().awaitRunning();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> poller.stopAsync().awaitTerminated()));
        }

        @Test
        void threadPoolSchedulerWaitsForTheReminder() {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setWaitForTasksToCompleteOnShutdown(true);
            scheduler.setAwaitTerminationSeconds(4);
            scheduler.initialize();
            scheduler.schedule(() -> System.out.println("payment reminder sent"), Instant.now().plusMillis(300));
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdown));
        }
    }
}
