package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A violation says what it is about as data (the task, its thread and pool, the hook, the site), so that a test
 * asserts without matching the message; and an assertion on a report never changes the report.
 */
class ViolationDataTest {

    @Test
    void aViolationCarriesTheTaskItsThreadItsPoolAndTheSubmissionSite() {
        Events events = Fixtures.tests(DataTestCases.class);

        Fixtures.assertPassed(events, "abandonedAndDroppedTasks", "lingeringPool", "failedHook");
    }

    @Test
    void anAssertionLeavesTheReportAsItWasAndAnUnassertedKindStillFailsTheTest() {
        Events events = Fixtures.tests(AssertionTestCases.class);

        Fixtures.assertPassed(events, "assertingChangesNothing");
        String message = Fixtures.failureMessage(events, "onlyOneKindAsserted");
        assertThat(message).startsWith("Violations not covered by an assertion on the report (asserted: [DROPPED_TASK])")
                .contains("ABANDONED_TASK");
        assertThat(message.substring(message.indexOf('\n'))).doesNotContain("DROPPED_TASK");
    }

    @GracefulShutdownTest(gracePeriod = "2s")
    static class DataTestCases {

        @Test
        void abandonedAndDroppedTasks(ShutdownSimulator jvm) throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "report-worker"));
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            pool.execute(new ReportJob());
            started.await();

            ShutdownReport report = jvm.sigterm();

            ShutdownAssertions.assertThat(report).hasOnlyViolations(Violation.Kind.ABANDONED_TASK, Violation.Kind.DROPPED_TASK)
                    .hasViolationSatisfying(Violation.Kind.ABANDONED_TASK, abandoned -> {
                        assertThat(abandoned.thread()).map(CapturedThread::name).contains("report-worker");
                        assertThat(abandoned.task()).map(CapturedTask::outcome).contains(CapturedTask.Outcome.RUNNING);
                        assertThat(abandoned.executor()).map(CapturedExecutor::id)
                                .isEqualTo(abandoned.task().map(CapturedTask::executor));
                        assertThat(abandoned.site()).isEqualTo(abandoned.task().map(CapturedTask::submissionSite));
                        assertThat(abandoned.site().orElseThrow().frames().get(0).getMethodName())
                                .isEqualTo("abandonedAndDroppedTasks");
                        assertThat(abandoned.where()).isEqualTo("submitted at " + abandoned.site().orElseThrow().where());
                        assertThat(abandoned.hook()).isEmpty();
                    })
                    .hasViolationSatisfying(Violation.Kind.DROPPED_TASK, dropped -> {
                        assertThat(dropped.task()).map(CapturedTask::description).contains(ReportJob.class.getName());
                        assertThat(dropped.task()).map(CapturedTask::outcome).contains(CapturedTask.Outcome.NEVER_STARTED);
                        assertThat(dropped.thread()).as("it never ran on one").isEmpty();
                        assertThat(dropped.executor()).map(CapturedExecutor::shutdown)
                                .contains(CapturedExecutor.ShutdownState.RUNNING);
                    });
        }

        @Test
        void lingeringPool(ShutdownSimulator jvm) {
            ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> new Thread(runnable, "lingering-worker"));
            pool.execute(() -> { });
            pool.execute(() -> { });

            ShutdownAssertions.assertThat(jvm.mainReturn()).hasViolationSatisfying(Violation.Kind.LINGERING_THREAD, lingering -> {
                assertThat(lingering.thread()).map(CapturedThread::name).contains("lingering-worker");
                assertThat(lingering.executor()).map(CapturedExecutor::creationSite).isEqualTo(lingering.site());
                assertThat(lingering.executor()).map(CapturedExecutor::id)
                        .isEqualTo(lingering.thread().map(CapturedThread::executor));
                assertThat(lingering.site().orElseThrow().frames().get(0).getMethodName()).isEqualTo("lingeringPool");
                assertThat(lingering.task()).isEmpty();
            });
        }

        @Test
        void failedHook(ShutdownSimulator jvm) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                throw new IllegalStateException("already closed");
            }, "close-connections"));

            ShutdownAssertions.assertThat(jvm.sigterm()).hasViolationSatisfying(Violation.Kind.HOOK_FAILED, failed -> {
                assertThat(failed.hook()).map(CapturedHook::name).contains("close-connections");
                assertThat(failed.hook()).map(CapturedHook::outcome).contains(CapturedHook.Outcome.FAILED);
                assertThat(failed.site()).isEqualTo(failed.hook().map(CapturedHook::registrationSite));
                assertThat(failed.site().orElseThrow().frames().get(0).getMethodName()).isEqualTo("failedHook");
            });
        }
    }

    @GracefulShutdownTest(gracePeriod = "2s")
    static class AssertionTestCases {

        @Test
        void assertingChangesNothing(ShutdownSimulator jvm) throws InterruptedException {
            abandonedAndDropped();
            ShutdownReport report = jvm.sigterm();
            String message = report.toString();
            List<Violation> violations = report.violations();

            ShutdownAssertions.assertThat(report).hasViolations(Violation.Kind.ABANDONED_TASK)
                    .hasOnlyViolations(Violation.Kind.ABANDONED_TASK, Violation.Kind.DROPPED_TASK);

            assertThat(report.toString()).isEqualTo(message);
            assertThat(report.violations()).isSameAs(violations);
        }

        @Test
        void onlyOneKindAsserted(ShutdownSimulator jvm) throws InterruptedException {
            abandonedAndDropped();
            ShutdownAssertions.assertThat(jvm.sigterm()).hasViolations(Violation.Kind.DROPPED_TASK);
        }
    }

    /** A pool whose single worker is busy for good, with a job queued behind it. */
    static void abandonedAndDropped() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            LingeringThreadTest.await(new CountDownLatch(1));
        });
        pool.execute(new ReportJob());
        started.await();
    }

    static final class ReportJob implements Runnable {
        @Override
        public void run() {
        }
    }
}
