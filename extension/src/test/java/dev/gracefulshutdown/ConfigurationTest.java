package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

class ConfigurationTest {

    @Test
    void badAttributesFailTheirTestWithAConfigurationErrorNamingTheAttributeAndValue() {
        Events events = Fixtures.tests(BadAttributeTestCases.class);

        assertThat(Fixtures.failure(events, "unparsableGracePeriod"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@GracefulShutdownTest(gracePeriod = \"5 parsecs\") on BadAttributeTestCases.unparsableGracePeriod: "
                        + "`gracePeriod` must be a duration such as 500ms, 5s, 2m, 1h or PT5S, but was \"5 parsecs\"");
        assertThat(Fixtures.failure(events, "negativeExitTimeout"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("`exitTimeout` must not be negative, but was \"-1s\"");
        assertThat(Fixtures.failure(events, "zeroGracePeriod"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("`gracePeriod` must be greater than zero");
        assertThat(Fixtures.failure(events, "invalidIgnorePattern"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@GracefulShutdownTest(ignoreThreads) on BadAttributeTestCases.invalidIgnorePattern: "
                        + "\"worker-[\" is not a valid regular expression");
        assertThat(Fixtures.failure(events, "sameKindExpectedTwice"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("`expect` lists ABANDONED_TASK twice");
        Fixtures.assertPassed(events, "isoDurationsAreAccepted");
        assertThat(BadAttributeTestCases.ranBodies).as("no test body runs with a bad configuration").isEqualTo(1);
    }

    @Test
    void defaultsComeFromConfigurationParameters() {
        Events events = Fixtures.tests(DefaultsTestCases.class,
                GracefulShutdownTest.GRACE_PERIOD_PROPERTY, "1500ms",
                GracefulShutdownTest.EXIT_TIMEOUT_PROPERTY, "250ms",
                GracefulShutdownTest.IGNORE_THREADS_PROPERTY, "legacy-poller-.*, other");

        assertThat(Fixtures.failureMessage(events, "gracePeriodFromProperties")).contains("grace period 1500 ms");
        Fixtures.assertPassed(events, "ignoredThreadFromProperties", "annotationWinsOverProperties");
    }

    @Test
    void aBadConfigurationParameterIsNamed() {
        Events events = Fixtures.tests(DefaultsTestCases.class, GracefulShutdownTest.GRACE_PERIOD_PROPERTY, "soon");

        assertThat(Fixtures.failure(events, "gracePeriodFromProperties"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("configuration parameter gracefulshutdown.gracePeriod.default = \"soon\": `gracePeriod` must be "
                        + "a duration such as 500ms, 5s, 2m, 1h or PT5S, but was \"soon\"");
    }

    @Test
    void aMethodThatSetsOneAttributeKeepsTheClassesTriggerAndMainClass() {
        Events events = Fixtures.tests(MergedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "poolNeverShutDown"))
                .as("MAIN_RETURN with the class's BatchApp, whose pool is never shut down")
                .contains("Graceful shutdown after main returned")
                .contains("LINGERING_THREAD")
                .contains("created at dev.gracefulshutdown.apps.BatchApp.main");
        Fixtures.assertPassed(events, "shutDownWhenDone");
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, mainClass = dev.gracefulshutdown.apps.BatchApp.class,
            readyOutput = "BatchApp started")
    static class MergedTestCases {
        @Test
        @GracefulShutdownTest(exitTimeout = "2s")
        void poolNeverShutDown() {
        }

        @Test
        @GracefulShutdownTest(exitTimeout = "5s", args = "--shutdown-when-done", readyOutput = "BatchApp wrote")
        void shutDownWhenDone() {
        }
    }

    static class BadAttributeTestCases {
        static int ranBodies;

        @Test
        @GracefulShutdownTest(gracePeriod = "5 parsecs")
        void unparsableGracePeriod() {
            ranBodies++;
        }

        @Test
        @GracefulShutdownTest(exitTimeout = "-1s")
        void negativeExitTimeout() {
            ranBodies++;
        }

        @Test
        @GracefulShutdownTest(gracePeriod = "0s")
        void zeroGracePeriod() {
            ranBodies++;
        }

        @Test
        @GracefulShutdownTest(ignoreThreads = "worker-[")
        void invalidIgnorePattern() {
            ranBodies++;
        }

        @Test
        @GracefulShutdownTest(expect = {Violation.Kind.ABANDONED_TASK, Violation.Kind.ABANDONED_TASK})
        void sameKindExpectedTwice() {
            ranBodies++;
        }

        @Test
        @GracefulShutdownTest(gracePeriod = "PT2S", exitTimeout = "PT0.5S")
        void isoDurationsAreAccepted() {
            ranBodies++;
        }
    }

    @GracefulShutdownTest
    static class DefaultsTestCases {
        @Test
        void gracePeriodFromProperties() {
            ExpectTest.exporterThread();
        }

        @Test
        void ignoredThreadFromProperties() {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            new Thread(() -> {
                started.countDown();
                LingeringThreadTest.await(new java.util.concurrent.CountDownLatch(1));
            }, "legacy-poller-1").start();
            LingeringThreadTest.await(started);
        }

        @Test
        @GracefulShutdownTest(gracePeriod = "3s")
        void annotationWinsOverProperties(ShutdownSimulator jvm) {
            assertThat(jvm.sigterm().gracePeriod()).hasSeconds(3);
        }
    }
}
