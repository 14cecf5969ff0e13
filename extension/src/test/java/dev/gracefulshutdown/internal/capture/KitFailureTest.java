package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gracefulshutdown.GracefulShutdownTest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The kit swallows its own failures while recording, so that it never breaks the code under test, but it keeps the
 * first one on the test's scope: a capture that missed something never ends as a clean verdict.
 */
class KitFailureTest {

    @Test
    void aFailureWhileRecordingMakesTheVerdictSayTheCaptureWasIncomplete() {
        Dispatcher.faultInjection = event -> {
            if (event.equals("task.submit")) {
                throw new IllegalStateException("injected");
            }
        };
        Event finished;
        try {
            finished = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingCaptureTestCases.class))
                    .execute().testEvents().finished().list().get(0);
        } finally {
            Dispatcher.faultInjection = null;
        }
        TestExecutionResult result = finished.getPayload(TestExecutionResult.class).orElseThrow();

        assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(result.getThrowable().orElseThrow().getMessage())
                .contains("the capture was incomplete")
                .contains("the kit failed while recording task.submit: java.lang.IllegalStateException: injected");
        assertThat(FailingCaptureTestCases.ranToTheEnd).as("the code under test was not broken by the kit").isTrue();
    }

    @GracefulShutdownTest
    static class FailingCaptureTestCases {
        static volatile boolean ranToTheEnd;

        @Test
        void poolShutDownProperly() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> { });
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
            ranToTheEnd = true;
        }
    }
}
