package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.apps.ReportApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

/** The code under test as a main class: run it, wait until it is ready, then shut it down. */
class MainClassTest {

    @Test
    void anApplicationStartedFromItsMainClassIsJudgedInProcess() {
        Events events = Fixtures.tests(AttributeTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reportInFlight"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.apps.ReportApp")
                .contains("submitted at dev.gracefulshutdown.apps.ReportApp.main(ReportApp.java:");
        Fixtures.assertPassed(events, "drainedOnShutdown", "simulatorStartsTheMainClass");
    }

    @Test
    void anApplicationStartedFromItsMainClassIsJudgedInARealJvm() {
        Events events = Fixtures.tests(AttributeTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "reportInFlight"))
                .contains("1 violation").contains("ABANDONED_TASK").contains("forked JVM: exit code 143");
        Fixtures.assertPassed(events, "drainedOnShutdown");
    }

    @Test
    void aMainThatFailsOrNeverGetsReadyFailsTheTestWithItsOutput() {
        Events events = Fixtures.tests(NotReadyTestCases.class);

        assertThat(Fixtures.failure(events, "mainThrows"))
                .hasMessageStartingWith("dev.gracefulshutdown.apps.ReportApp$Broken.main threw before the application was ready")
                .hasRootCauseMessage("port 8080 already in use");
        assertThat(Fixtures.failureMessage(events, "readyTextNeverAppears"))
                .contains("was not ready within 300 ms (waiting for \"Listening on 8080\" in its output); its output so far:")
                .contains("ReportApp Started");
    }

    @Test
    void readinessAttributesWithoutAMainClassAreAConfigurationError() {
        Events events = Fixtures.tests(BadConfigurationTestCases.class);

        assertThat(Fixtures.failure(events, "readyOutputWithoutMainClass"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@GracefulShutdownTest on BadConfigurationTestCases.readyOutputWithoutMainClass: `readyOutput` "
                        + "requires `mainClass`, which is not set");
        assertThat(Fixtures.failure(events, "mainClassWithoutMain"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@GracefulShutdownTest(mainClass = java.lang.String.class)")
                .hasMessageContaining("has no public static void main(String[])");
    }

    static class AttributeTestCases {
        @Test
        @GracefulShutdownTest(mainClass = ReportApp.class, readyOutput = "ReportApp Started", gracePeriod = "5s")
        void reportInFlight() {
        }

        @Test
        @GracefulShutdownTest(mainClass = ReportApp.class, args = "--drain-on-shutdown", readyOutput = "ReportApp Started",
                gracePeriod = "5s")
        void drainedOnShutdown() {
        }

        @Test
        @GracefulShutdownTest(gracePeriod = "5s")
        void simulatorStartsTheMainClass(ShutdownSimulator jvm) {
            jvm.start(ReportApp.class, "--drain-on-shutdown").awaitOutput("ReportApp Started", Duration.ofSeconds(10));
            ShutdownAssertions.assertThat(jvm.sigterm()).isClean();
        }
    }

    static class NotReadyTestCases {
        @Test
        @GracefulShutdownTest(mainClass = ReportApp.Broken.class, readyOutput = "Started")
        void mainThrows() {
        }

        @Test
        @GracefulShutdownTest(mainClass = ReportApp.class, readyOutput = "Listening on 8080", readyTimeout = "300ms",
                expect = Violation.Kind.ABANDONED_TASK)
        void readyTextNeverAppears() {
        }
    }

    static class BadConfigurationTestCases {
        @Test
        @GracefulShutdownTest(readyOutput = "Started")
        void readyOutputWithoutMainClass() {
        }

        @Test
        @GracefulShutdownTest(mainClass = String.class)
        void mainClassWithoutMain() {
        }
    }
}
