package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gracefulshutdown.internal.report.ReportEntries;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A thread of the application's that dies with an uncaught exception during the shutdown lost its work:
 * {@code FAILED_TASK}. One that dies that way while the test runs is shown in a report entry, not failed: the test
 * may be exercising its own failure paths, and it is not a shutdown problem.
 */
class UncaughtExceptionTest {

    @Test
    void aThreadThatDiesDuringTheShutdownLostItsWork() {
        Events events = Fixtures.tests(UncaughtTestCases.class);

        assertThat(Fixtures.failureMessage(events, "threadDiesDuringTheShutdown"))
                .contains("1 violation")
                .contains("FAILED_TASK: work on non-daemon thread \"flusher\" died during the shutdown with "
                        + "java.lang.IllegalStateException: flush failed (uncaught)")
                .contains("at dev.gracefulshutdown.UncaughtExceptionTest$UncaughtTestCases.lambda$threadDiesDuringTheShutdown$");
        Fixtures.assertPassed(events, "threadDiesWhileTheTestRuns");
    }

    @Test
    void aThreadThatDiesWhileTheTestRunsIsShownInTheReport() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(UncaughtTestCases.class)).execute().allEvents();

        assertThat(events.reportingEntryPublished().stream()
                .flatMap(e -> e.getPayload(ReportEntry.class).stream())
                .map(entry -> entry.getKeyValuePairs().get(ReportEntries.UNCAUGHT))
                .filter(java.util.Objects::nonNull))
                .containsExactly("\"doomed\" died with java.lang.IllegalArgumentException: bad input while the test ran");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class UncaughtTestCases {
        @Test
        void threadDiesDuringTheShutdown() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            Thread flusher = new Thread(() -> {
                running.countDown();
                LingeringThreadTest.await(stopping);
                throw new IllegalStateException("flush failed");
            }, "flusher");
            flusher.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.countDown();
                try {
                    flusher.join(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            running.await();
        }

        @Test
        void threadDiesWhileTheTestRuns() throws InterruptedException {
            Thread doomed = new Thread(() -> {
                throw new IllegalArgumentException("bad input");
            }, "doomed");
            doomed.setUncaughtExceptionHandler(null);
            doomed.start();
            doomed.join(5_000);
        }
    }
}
