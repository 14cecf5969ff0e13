package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A task that schedules itself again from its own run ({@code pool.schedule(this, ...)}: a poller's loop written one
 * run at a time) repeats, like a {@code scheduleWithFixedDelay} task: its next run waiting at the halt loses nothing.
 * A follow-up its run schedules (another object: the next step of the work) is work of its own, and lost if it never
 * runs.
 */
class RepeatingTasksTest {

    @Test
    void aTaskThatSchedulesItselfAgainRepeatsAFollowUpItSchedulesIsWork() {
        Events events = Fixtures.tests(RepeatingCases.class);

        Fixtures.assertPassed(events, "pollerSchedulesItselfAgain", "pollerAsALambdaField");
        assertThat(Fixtures.failureMessage(events, "runSchedulesAFollowUp")).contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.RepeatingTasksTest$RepeatingCases")
                .contains("was accepted but never started");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(RepeatingCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        Fixtures.assertPassed(events, "pollerSchedulesItselfAgain", "pollerAsALambdaField");
        assertThat(Fixtures.failureMessage(events, "runSchedulesAFollowUp")).contains("1 violation")
                .contains("DROPPED_TASK").contains("forked JVM");
    }

    @GracefulShutdownTest(gracePeriod = "2s")
    static class RepeatingCases {

        /** Polls, then schedules itself for the next poll. */
        static final class Poller implements Runnable {
            final ScheduledExecutorService scheduler;
            final CountDownLatch polled = new CountDownLatch(2);

            Poller(ScheduledExecutorService scheduler) {
                this.scheduler = scheduler;
            }

            @Override
            public void run() {
                polled.countDown();
                scheduler.schedule(this, polled.getCount() == 0 ? 1 : 0, TimeUnit.HOURS);
            }
        }

        @Test
        void pollerSchedulesItselfAgain() throws InterruptedException {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon());
            Poller poller = new Poller(scheduler);
            scheduler.execute(poller);
            assertThat(poller.polled.await(10, TimeUnit.SECONDS)).isTrue();
        }

        Runnable poll;

        @Test
        void pollerAsALambdaField() throws InterruptedException {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon());
            CountDownLatch polled = new CountDownLatch(1);
            poll = () -> {
                polled.countDown();
                scheduler.schedule(poll, 1, TimeUnit.HOURS);
            };
            scheduler.execute(poll);
            assertThat(polled.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void runSchedulesAFollowUp() throws InterruptedException {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon());
            CountDownLatch followUpScheduled = new CountDownLatch(1);
            scheduler.execute(() -> {
                scheduler.schedule(() -> System.out.println("the export's second half"), 1, TimeUnit.HOURS);
                followUpScheduled.countDown();
            });
            assertThat(followUpScheduled.await(10, TimeUnit.SECONDS)).isTrue();
        }

        private static java.util.concurrent.ThreadFactory daemon() {
            return runnable -> {
                Thread thread = new Thread(runnable, "poller");
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
