package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.report.IncompleteCaptureException;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** A kit failure never looks like a clean verdict: a capture that failed fails the test, saying why. */
class IncompleteCaptureTest {

    @Test
    void aCaptureThatFailedFailsAnOtherwiseCleanTest() {
        Events events = Fixtures.tests(InProcessTestCases.class);

        assertThat(Fixtures.failure(events, "cleanButTheCaptureFailed"))
                .isInstanceOf(IncompleteCaptureException.class)
                .hasMessage("@GracefulShutdownTest on InProcessTestCases.cleanButTheCaptureFailed: the capture was incomplete: "
                        + "java.lang.IllegalStateException: the advice on ThreadPoolExecutor.execute failed; the kit cannot give a "
                        + "verdict on what it did not see, so the test fails")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(Fixtures.failure(events, "expectedKindsButTheCaptureFailed"))
                .as("the expected kinds occurred, but what else was lost cannot be known")
                .isInstanceOf(IncompleteCaptureException.class);
        assertThat(Fixtures.failure(events, "theTestsOwnFailureComesFirst"))
                .isInstanceOf(AssertionError.class).hasMessage("the test's own assertion")
                .satisfies(e -> assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(IncompleteCaptureException.class));
        Fixtures.assertPassed(events, "aCompleteCapture");
    }

    @Test
    void aCaptureThatFailedInTheForkedJvmFailsTheTestInTheParent() {
        Events events = Fixtures.tests(ForkedTestCases.class);

        assertThat(Fixtures.failure(events, "cleanButTheCaptureFailed"))
                .isInstanceOf(IncompleteCaptureException.class)
                .hasMessageContaining("the capture was incomplete: in the forked JVM: java.lang.IllegalStateException: the "
                        + "advice on ThreadPoolExecutor.execute failed");
    }

    static void captureFails() {
        Capture.currentScope().captureFailed(new IllegalStateException("the advice on ThreadPoolExecutor.execute failed"));
        Capture.currentScope().captureFailed(new IllegalStateException("a later failure, not the first"));
    }

    @GracefulShutdownTest
    static class InProcessTestCases {
        @Test
        void cleanButTheCaptureFailed() {
            captureFails();
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
        void expectedKindsButTheCaptureFailed() {
            java.util.concurrent.Executors.newFixedThreadPool(1).execute(() -> { });
            captureFails();
        }

        @Test
        void theTestsOwnFailureComesFirst() {
            captureFails();
            throw new AssertionError("the test's own assertion");
        }

        @Test
        void aCompleteCapture() {
        }
    }

    @GracefulShutdownTest(fork = true)
    static class ForkedTestCases {
        @Test
        void cleanButTheCaptureFailed() {
            captureFails();
        }
    }
}
