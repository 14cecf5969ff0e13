package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.apps.BatchApp;
import dev.gracefulshutdown.apps.ReportApp;
import dev.gracefulshutdown.testcontainers.ContainerShutdown;
import dev.gracefulshutdown.testcontainers.RequiresDocker;
import dev.gracefulshutdown.testsupport.HostJdkContainer;
import java.time.Duration;
import dev.gracefulshutdown.internal.container.ContainerAgentCache;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;
import org.testcontainers.containers.GenericContainer;

/**
 * Container checks with a real {@code docker stop}: the application runs in a container with the kit's agent
 * (or without it), Docker sends {@code SIGTERM}, and kills it when the grace period ends.
 */
@RequiresDocker
class ContainerShutdownTest {

    private static final String READY = "ReportApp Started";

    @Test
    void aReportInFlightAtDockerStopIsAbandonedAndTheContainerExits143() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY)) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(5));

            assertThat(report.violationKinds()).containsExactly(Violation.Kind.ABANDONED_TASK);
            assertThat(report.exitStatus()).contains(143);
            ShutdownReport.Container container = report.container().orElseThrow();
            assertThat(container.exitCode()).isEqualTo(143);
            assertThat(container.killed()).isFalse();
            assertThat(container.gracePeriodExceeded()).isFalse();
            assertThat(container.coarse()).isFalse();
            assertThat(container.logTail()).contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:/graceful-shutdown-junit/agent.jar")
                    .contains(READY);
            assertThat(report.toString())
                    .startsWith("Graceful shutdown after docker stop (SIGTERM, grace period 5 s): 1 violation")
                    .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.apps.ReportApp (task#1) on ThreadPoolExecutor#1 "
                            + "was still running on thread \"pool-1-thread-1\" when the JVM halted")
                    .contains("submitted at dev.gracefulshutdown.apps.ReportApp.main(ReportApp.java:")
                    .contains("(container local/empty:1 (" + app.getContainerId().substring(0, 12) + "): exit code 143, docker stop took ");
        }
    }

    @Test
    void aContainersAgentUsesTheWovenClassesAnEarlierContainersAgentComputed() throws IOException {
        try (GenericContainer<?> first = HostJdkContainer.running(ReportApp.class, READY, "--drain-on-shutdown")) {
            ContainerShutdown shutdown = ContainerShutdown.of(first);
            first.start();
            ShutdownAssertions.assertThat(shutdown.dockerStop(Duration.ofSeconds(5))).isClean();
        }
        try (java.util.stream.Stream<java.nio.file.Path> kept = Files.list(ContainerAgentCache.hostDirectory())) {
            assertThat(kept.map(file -> file.getFileName().toString())).anyMatch(name -> name.startsWith("Thread-")
                    && name.endsWith(".bin")); // java.lang.Thread's woven bytes, whichever container computed them
        }
        try (GenericContainer<?> second = HostJdkContainer.running(ReportApp.class, READY, "--drain-on-shutdown")
                .withEnv("JAVA_TOOL_OPTIONS", "-Dgracefulshutdown.agent.timing=true")) {
            ContainerShutdown shutdown = ContainerShutdown.of(second);
            second.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(5));

            ShutdownAssertions.assertThat(report).isClean();
            assertThat(report.container().orElseThrow().logTail())
                    .contains("graceful-shutdown-junit install (-javaagent with record=)")
                    .contains("(cached in " + ContainerAgentCache.IN_CONTAINER + ")");
        }
    }

    @Test
    void aHookThatDrainsThePoolWithinTheGracePeriodIsClean() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY, "--drain-on-shutdown")) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(5));

            ShutdownAssertions.assertThat(report).isClean().hasExitStatus(143).wasNotKilled();
            assertThat(report.hooks()).singleElement()
                    .satisfies(hook -> assertThat(hook.outcome()).isEqualTo(CapturedHook.Outcome.COMPLETED));
        }
    }

    @Test
    void aHookSlowerThanTheGracePeriodIsKilledByDocker() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY, "--drain-too-slowly")) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();

            // 3 s: on a loaded machine, 1 s could end before the JVM in the container had begun its hooks
            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(3));

            assertThat(report.violationKinds()).containsExactlyInAnyOrder(Violation.Kind.HOOK_TIMEOUT, Violation.Kind.ABANDONED_TASK);
            ShutdownReport.Container container = report.container().orElseThrow();
            assertThat(container.exitCode()).isEqualTo(137);
            assertThat(container.gracePeriodExceeded()).isTrue();
            assertThat(container.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(report.toString())
                    .contains("HOOK_TIMEOUT: shutdown hook \"report-app-shutdown\" was still running when the grace period of 3 s "
                            + "ended: the JVM was killed (SIGKILL, exit code 137)")
                    .contains("exit code 137, killed (SIGKILL) when the grace period ended");
        }
    }

    @Test
    void withoutTheAgentAKillIsAHookTimeoutAndTheVerdictSaysItIsCoarse() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY, "--drain-too-slowly")) {
            ContainerShutdown shutdown = ContainerShutdown.withoutAgent(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(1));

            assertThat(report.violationKinds()).containsExactly(Violation.Kind.HOOK_TIMEOUT);
            assertThat(report.container().orElseThrow().coarse()).isTrue();
            assertThat(report.toString())
                    .contains("HOOK_TIMEOUT: the application was still shutting down when the grace period of 1 s ended: "
                            + "it was killed (SIGKILL, exit code 137)")
                    .contains("COARSE verdict, only the exit code and the timing were seen: no agent in the container");
        }
    }

    @Test
    void withoutTheAgentWorkCutOffByTheHaltIsNotSeen() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY)) {
            ContainerShutdown shutdown = ContainerShutdown.withoutAgent(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(5));

            // the same application loses its report (the first test), but from outside all looks well
            assertThat(report.isClean()).isTrue();
            assertThat(report.exitStatus()).contains(143);
            assertThat(report.toString()).contains(": clean (container local/empty:1")
                    .contains("COARSE verdict");
        }
    }

    @Test
    void aBatchWhosePoolIsNeverShutDownNeverExitsAndTheKitNamesThePool() {
        try (GenericContainer<?> batch = HostJdkContainer.running(BatchApp.class, "BatchApp started")) {
            ContainerShutdown shutdown = ContainerShutdown.of(batch);
            batch.start();

            ShutdownReport report = shutdown.awaitExit(Duration.ofSeconds(3));

            assertThat(report.violationKinds()).containsExactly(Violation.Kind.LINGERING_THREAD);
            assertThat(report.jvmExits()).isFalse();
            assertThat(report.container().orElseThrow().exitCode()).isEqualTo(137);
            assertThat(report.toString())
                    .startsWith("Graceful shutdown after main returned (the JVM would not exit within the exit timeout of 3 s): 1 violation")
                    .contains("LINGERING_THREAD: non-daemon thread \"pool-1-thread-1\" keeps the JVM alive after main returns")
                    .contains("pool ThreadPoolExecutor[core=2, max=2, keepAlive=0 s] created at dev.gracefulshutdown.apps.BatchApp.main(BatchApp.java:")
                    .contains("container local/empty:1 (" + batch.getContainerId().substring(0, 12)
                            + "): did not exit within the exit timeout of 3 s, killed (SIGKILL, exit code 137)");
        }
    }

    @Test
    void aBatchThatShutsItsPoolDownExitsByItself() {
        try (GenericContainer<?> batch = HostJdkContainer.running(BatchApp.class, "BatchApp started", "--shutdown-when-done")) {
            ContainerShutdown shutdown = ContainerShutdown.of(batch);
            batch.start();

            ShutdownReport report = shutdown.awaitExit(Duration.ofSeconds(30));

            ShutdownAssertions.assertThat(report).isClean().hasExitStatus(0).wasNotKilled();
            assertThat(report.toString()).contains("exited by itself with code 0 after ");
            assertThat(report.container().orElseThrow().logTail()).contains("BatchApp wrote 42 rows");
        }
    }

    @Test
    void withoutTheAgentABatchThatNeverExitsIsACoarseLingeringThread() {
        try (GenericContainer<?> batch = HostJdkContainer.running(BatchApp.class, "BatchApp started")) {
            ContainerShutdown shutdown = ContainerShutdown.withoutAgent(batch);
            batch.start();

            ShutdownReport report = shutdown.awaitExit(Duration.ofSeconds(2));

            assertThat(report.violationKinds()).containsExactly(Violation.Kind.LINGERING_THREAD);
            assertThat(report.toString())
                    .contains("LINGERING_THREAD: the application's JVM did not exit within the exit timeout of 2 s: a non-daemon thread keeps it alive")
                    .contains("COARSE verdict");
        }
    }

    @Test
    void aShellAsTheContainersMainProcessKeepsSigtermFromTheJvmAndTheKitNamesIt() {
        // an entrypoint script without exec: the shell is PID 1, the JVM its child, and the shell passes no signal on
        try (GenericContainer<?> app = HostJdkContainer.startedByAShellScript(
                HostJdkContainer.running(ReportApp.class, READY, "--drain-on-shutdown"))) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(2));

            assertThat(report.container().orElseThrow().exitCode()).isEqualTo(137);
            // the hook that would have drained the report never ran: the cause first, then the report it lost
            assertThat(report.violationKinds())
                    .containsExactlyInAnyOrder(Violation.Kind.SHUTDOWN_NEVER_STARTED, Violation.Kind.ABANDONED_TASK);
            assertThat(report.toString())
                    .contains("1) SHUTDOWN_NEVER_STARTED: the JVM never began its shutdown: docker stop's SIGTERM did not "
                            + "start it, and Docker killed it (SIGKILL, exit code 137) when the grace period of 2 s ended; "
                            + "its shutdown hook \"report-app-shutdown\" never ran")
                    .containsPattern("the JVM is PID \\d+ in the container, not its main process: PID 1 is `/usr/bin/sh -c "
                            + ".*`, which does not pass SIGTERM on")
                    .contains("fix: make the JVM the container's main process: the exec form ENTRYPOINT [\"java\", ...]")
                    .contains("2) ABANDONED_TASK: task lambda in dev.gracefulshutdown.apps.ReportApp")
                    .contains("fix: first make the JVM begin its shutdown on SIGTERM (SHUTDOWN_NEVER_STARTED above)")
                    .doesNotContain("call shutdown() and then awaitTermination");
        }
    }

    @Test
    void aJvmThatTakesSigtermItselfNeverBeginsItsShutdown() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY, "--drain-on-shutdown", "--take-sigterm")) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(2));

            assertThat(report.violationKinds())
                    .containsExactlyInAnyOrder(Violation.Kind.SHUTDOWN_NEVER_STARTED, Violation.Kind.ABANDONED_TASK);
            assertThat(report.toString())
                    .contains("the JVM is the container's main process (PID 1), so the signal reached it: something in it "
                            + "took SIGTERM without exiting")
                    .contains("fix: let SIGTERM start the JVM's shutdown: a signal handler (sun.misc.Signal.handle)");
            assertThat(report.container().orElseThrow().logTail()).contains("ReportApp took SIGTERM");
        }
    }

    @Test
    void theAgentJoinsTheJavaToolOptionsTheContainerAlreadyHas() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY, "--drain-on-shutdown")
                .withEnv("JAVA_TOOL_OPTIONS", "-Xss1m")) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(5));

            assertThat(report.container().orElseThrow().logTail()).contains(
                    "Picked up JAVA_TOOL_OPTIONS: -Xss1m -javaagent:/graceful-shutdown-junit/agent.jar=record=/tmp/graceful-shutdown-junit");
            assertThat(report.container().orElseThrow().coarse()).isFalse();
        }
    }

    @Test
    void addingTheAgentToAStartedContainerIsAnError() {
        try (GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY)) {
            app.start();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerShutdown.of(app))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("ContainerShutdown.of(container) must be called before the container starts");
        }
    }

    @Test
    void aRegisteredContainerShutdownFailsTheTestForAViolationNoAssertionCovered() {
        Events events = Fixtures.tests(ForgottenAssertionTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reportIgnored"))
                .startsWith("Graceful shutdown after docker stop (SIGTERM, grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.apps.ReportApp");
        Fixtures.assertPassed(events, "violationAsserted");
    }

    static class ForgottenAssertionTestCases {
        final GenericContainer<?> app = HostJdkContainer.running(ReportApp.class, READY);

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(app);

        @Test
        void reportIgnored() {
            app.start();
            shutdown.dockerStop(Duration.ofSeconds(5));
        }

        @Test
        void violationAsserted() {
            app.start();
            ShutdownAssertions.assertThat(shutdown.dockerStop(Duration.ofSeconds(5)))
                    .hasOnlyViolations(Violation.Kind.ABANDONED_TASK);
        }

        @org.junit.jupiter.api.AfterEach
        void removeContainer() {
            app.stop();
        }
    }
}
