package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

/**
 * The application's lifetime begins before the test instance is constructed (per-method lifecycle): what field
 * initialisers and constructors create belongs to the test. With {@code PER_CLASS} the instance is shared by every
 * method and opens no lifetime: what it creates is not judged.
 */
class TestInstanceLifetimeTest {

    @Test
    void aPoolCreatedInAFieldInitialiserAndNeverShutDownKeepsTheJvmAlive() {
        Events events = Fixtures.tests(FieldInitialiserTestCases.class);

        assertThat(Fixtures.failureMessage(events, "poolFromAFieldInitialiser"))
                .contains("LINGERING_THREAD: non-daemon thread \"pool-")
                .contains("created at dev.gracefulshutdown.TestInstanceLifetimeTest$FieldInitialiserTestCases.<init>(TestInstanceLifetimeTest.java:");
        assertThat(Fixtures.failureMessage(events, "poolFromTheConstructor")).contains("LINGERING_THREAD");
    }

    @Test
    void everyRepetitionConstructsItsOwnInstanceInItsOwnLifetime() {
        Events events = Fixtures.tests(RepeatedTestCases.class);

        assertThat(events.finished().count()).isEqualTo(3);
        assertThat(events.finished().stream().map(e -> e.getPayload(TestExecutionResult.class).orElseThrow()))
                .allSatisfy(result -> assertThat(result.getThrowable().orElseThrow().getMessage())
                        .contains("1 violation").contains("LINGERING_THREAD"));
    }

    @Test
    void aPerClassInstanceIsSharedAndNotJudged() {
        Events events = Fixtures.tests(PerClassTestCases.class);

        Fixtures.assertPassed(events, "poolFromASharedInstance");
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class FieldInitialiserTestCases {
        final ExecutorService pool = Executors.newFixedThreadPool(1);

        @Test
        void poolFromAFieldInitialiser() throws Exception {
            pool.submit(() -> { }).get();
        }

        /**
         * Held by the instance, as an application holds its services: an unreachable one could be finalized (JDK 17's
         * single-thread executor shuts its pool down then), and the verdict would depend on when the GC ran.
         */
        Service service;

        @Test
        void poolFromTheConstructor() throws Exception {
            service = new Service();
            service.pool.submit(() -> { }).get();
        }

        static class Service {
            final ExecutorService pool = Executors.newSingleThreadExecutor();
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class RepeatedTestCases {
        final ExecutorService pool = Executors.newFixedThreadPool(1);

        @RepeatedTest(3)
        void eachRepetition() throws Exception {
            pool.submit(() -> { }).get();
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class PerClassTestCases {
        final ExecutorService pool = Executors.newFixedThreadPool(1);

        @Test
        void poolFromASharedInstance() throws Exception {
            pool.submit(() -> { }).get();
        }

        @org.junit.jupiter.api.AfterAll
        void shutDown() {
            pool.shutdown();
        }
    }
}
