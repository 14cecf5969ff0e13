package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code assertTimeoutPreemptively} runs the test's code on a thread of JUnit's ({@code junit-timeout-thread-1}):
 * what that code creates is the application's all the same. Before, nothing it created was captured: a pool it left
 * was a clean verdict in process, and forked the message could name no thread.
 */
class PreemptiveTimeoutTest {

    @Test
    void whatTheCodeUnderAPreemptiveTimeoutCreatesIsTheApplications() {
        Events events = Fixtures.tests(PreemptiveCases.class);

        assertThat(Fixtures.failureMessage(events, "aPoolLeftUnderAPreemptiveTimeout")).contains("1 violation")
                .contains("LINGERING_THREAD: non-daemon thread \"pool-")
                .contains("created at dev.gracefulshutdown.PreemptiveTimeoutTest.leak(");
        Fixtures.assertPassed(events, "aPoolShutDownUnderAPreemptiveTimeout");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(PreemptiveCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "aPoolLeftUnderAPreemptiveTimeout")).contains("1 violation")
                .contains("created at dev.gracefulshutdown.PreemptiveTimeoutTest.leak(");
        Fixtures.assertPassed(events, "aPoolShutDownUnderAPreemptiveTimeout");
    }

    static ExecutorService leak() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.execute(() -> { });
        return pool;
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class PreemptiveCases {

        @Test
        void aPoolLeftUnderAPreemptiveTimeout() {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> leak());
        }

        @Test
        void aPoolShutDownUnderAPreemptiveTimeout() {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> leak().shutdown());
        }
    }
}
