package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class ExpectTest {

    @Test
    void aRegressionTestPassesOnlyWhenExactlyTheExpectedKindsOccur() {
        Events events = Fixtures.tests(ExpectTestCases.class);

        Fixtures.assertPassed(events, "expectedViolationOccurs");
        assertThat(Fixtures.failureMessage(events, "expectedViolationMissing"))
                .startsWith("@GracefulShutdownTest(expect = [LINGERING_THREAD]) but the shutdown produced no violation; "
                        + "missing: [LINGERING_THREAD]")
                .contains("clean");
        assertThat(Fixtures.failureMessage(events, "anotherViolationOccurs"))
                .startsWith("@GracefulShutdownTest(expect = [LINGERING_THREAD]) but the shutdown produced [ABANDONED_TASK]; "
                        + "missing: [LINGERING_THREAD]; unexpected: [ABANDONED_TASK]")
                .contains("1) ABANDONED_TASK");
    }

    @Test
    void withExpectIgnoredARegressionTestShowsItsRawVerdict() {
        Events events = Fixtures.tests(ExpectTestCases.class, GracefulShutdownTest.EXPECT_IGNORED_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "expectedViolationOccurs"))
                .startsWith("Graceful shutdown after main returned (the JVM would not exit within the exit timeout")
                .contains("1) LINGERING_THREAD");
        Fixtures.assertPassed(events, "expectedViolationMissing");
    }

    @Test
    void violationsOfAShutdownTheTestTriggeredMustBeAssertedOrExpected() {
        Events events = Fixtures.tests(SimulatorTestCases.class);

        assertThat(Fixtures.failureMessage(events, "forgottenAssertion"))
                .startsWith("Graceful shutdown after SIGTERM")
                .contains("ABANDONED_TASK");
        assertThat(Fixtures.failureMessage(events, "assertionCoversOnlyOneKind"))
                .startsWith("Violations not covered by an assertion on the report (asserted: [ABANDONED_TASK])")
                .contains("HOOK_FAILED")
                .doesNotContain("1) ABANDONED_TASK");
        assertThat(Fixtures.failureMessage(events, "cleanAssertionOnADirtyReport"))
                .startsWith("Expected a clean shutdown, but:");
        Fixtures.assertPassed(events, "assertedViolation", "expectedViolation");
    }

    static void reportInFlight() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            LingeringThreadTest.await(new CountDownLatch(1));
        });
        LingeringThreadTest.await(started);
    }

    static void exporterThread() {
        CountDownLatch started = new CountDownLatch(1);
        new Thread(() -> {
            started.countDown();
            LingeringThreadTest.await(new CountDownLatch(1));
        }, "exporter").start();
        LingeringThreadTest.await(started);
    }

    static void failingHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            throw new IllegalStateException("flush failed");
        }, "flush-on-shutdown"));
    }

    static class ExpectTestCases {
        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
        void expectedViolationOccurs() {
            Executors.newFixedThreadPool(1).execute(() -> { });
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
        void expectedViolationMissing() {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.execute(() -> { });
            pool.shutdown();
        }

        @Test
        @GracefulShutdownTest(expect = Violation.Kind.LINGERING_THREAD)
        void anotherViolationOccurs() {
            reportInFlight();
        }
    }

    @GracefulShutdownTest
    static class SimulatorTestCases {
        @Test
        void forgottenAssertion(ShutdownSimulator jvm) {
            reportInFlight();
            jvm.sigterm();
        }

        @Test
        void assertedViolation(ShutdownSimulator jvm) {
            reportInFlight();
            ShutdownAssertions.assertThat(jvm.sigterm()).hasOnlyViolations(Violation.Kind.ABANDONED_TASK);
        }

        @Test
        void assertionCoversOnlyOneKind(ShutdownSimulator jvm) {
            reportInFlight();
            failingHook();
            ShutdownAssertions.assertThat(jvm.sigterm()).hasViolations(Violation.Kind.ABANDONED_TASK);
        }

        @Test
        void cleanAssertionOnADirtyReport(ShutdownSimulator jvm) {
            reportInFlight();
            ShutdownAssertions.assertThat(jvm.sigterm()).isClean();
        }

        @Test
        @GracefulShutdownTest(expect = Violation.Kind.ABANDONED_TASK)
        void expectedViolation(ShutdownSimulator jvm) {
            reportInFlight();
            assertThat(jvm.sigterm().violations()).hasSize(1);
        }
    }
}
