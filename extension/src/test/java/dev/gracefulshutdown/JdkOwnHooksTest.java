package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Hooks the JDK registers for itself from inside the code under test (JFR's, when a test starts the first
 * recording of the JVM) are installed for real, never captured as the application's and never run by the
 * simulation: afterwards the JVM's own facilities still work.
 */
class JdkOwnHooksTest {

    @Test
    void jfrsOwnHookIsNotTheApplicationsAndRecordingsStillWorkAfterAKitTest() {
        Events events = Fixtures.tests(JfrTestCases.class);

        Fixtures.assertPassed(events, "aRecordingInAKitTest");
        CompletableFuture<Void> twoRecordingsInARow = CompletableFuture.runAsync(() -> {
            record();
            record();
        });
        assertThat(twoRecordingsInARow).as("two JFR recordings after a kit test").succeedsWithin(Duration.ofSeconds(30));
    }

    @Test
    void aLibrarysJvmWideHookRegisteredAsItsClassLoadsIsInstalledForRealAndLaterTestsStillUseIt() {
        Events events = Fixtures.tests(LibraryRegistryTestCases.class);

        Fixtures.assertPassed(events, "firstUse", "secondUse");
        assertThat(io.micrometer.kitfixture.LoggingRegistry.HOOK_RUNS).as("runs of the library's JVM-wide hook").hasValue(0);
    }

    static void record() {
        try (Recording recording = new Recording()) {
            recording.start();
            recording.stop();
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class LibraryRegistryTestCases {
        @Test
        void firstUse(ShutdownSimulator jvm) {
            io.micrometer.kitfixture.LoggingRegistry.addCallback(); // the class loads: its hook is the JVM's, not this test's
            assertThat(jvm.sigterm().hooks()).as("hooks captured as the application's").isEmpty();
        }

        @Test
        void secondUse() {
            io.micrometer.kitfixture.LoggingRegistry.addCallback(); // still open: no simulation ran its hook
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class JfrTestCases {
        @Test
        void aRecordingInAKitTest(ShutdownSimulator jvm) {
            record();
            ShutdownReport report = jvm.sigterm();
            assertThat(report.hooks()).as("hooks captured as the application's").isEmpty();
            ShutdownAssertions.assertThat(report).isClean();
        }
    }
}
