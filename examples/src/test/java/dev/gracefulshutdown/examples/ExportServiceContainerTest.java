package dev.gracefulshutdown.examples;

import static dev.gracefulshutdown.examples.ExportServiceContainers.PORT;
import static dev.gracefulshutdown.examples.ExportServiceContainers.exportService;
import static dev.gracefulshutdown.examples.ExportClient.startExport;
import static dev.gracefulshutdown.testsupport.HostJdkContainer.startedByAShellScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.ShutdownAssertions;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.testcontainers.ContainerShutdown;
import dev.gracefulshutdown.testcontainers.RequiresDocker;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The HTTP service in a container, stopped for real with {@code docker stop}, as Docker and Kubernetes stop it:
 * {@code SIGTERM}, then {@code SIGKILL} when the grace period ends. An export is in flight each time.
 */
@RequiresDocker
class ExportServiceContainerTest {

    /** An export that outlasts every grace period here, so that it is surely in flight when Docker stops the service. */
    static final String LONG_EXPORT = "--export-millis=60000";

    /**
     * Without a shutdown path the export dies with the JVM. The HTTP server's own thread dies too, but it was
     * waiting for connections and loses nothing, so it is not blamed. The report:
     * <pre>
     * Graceful shutdown after docker stop (SIGTERM, grace period 10 s): 1 violation
     *
     * 1) ABANDONED_TASK: task lambda in dev.gracefulshutdown.examples.http.ExportService (task#1) on ThreadPoolExecutor#1
     *    was still running on thread "pool-1-thread-1" when the JVM halted
     *      submitted at dev.gracefulshutdown.examples.http.ExportService.accept(ExportService.java:69)
     *      at the halt: TIMED_WAITING in java.util.concurrent.TimeUnit.sleep(TimeUnit.java:446),
     *        called from dev.gracefulshutdown.examples.http.ExportService.write(ExportService.java:76)
     *      fix: in the shutdown path (a hook or the framework's stop callback) call shutdown() and then awaitTermination(...) ...
     *
     * (container local/empty:1 (5e6831827ea8): exit code 143, docker stop took 636 ms; captured 3 threads, 1 executors,
     *  1 tasks, 0 hooks; shutdown took 636 ms)
     * </pre>
     */
    @Nested
    @Testcontainers
    class Broken {
        @Container
        final GenericContainer<?> service = exportService(LONG_EXPORT);

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(service);

        @Test
        void theExportInFlightAtDockerStopIsLost() {
            startExport(service.getHost(), service.getMappedPort(PORT));
            await().atMost(Duration.ofSeconds(10)).until(() -> service.getLogs().contains("export 1 started"));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));

            ShutdownAssertions.assertThat(report)
                    .hasOnlyViolations(Violation.Kind.ABANDONED_TASK)
                    .hasExitStatus(143);
            assertThat(report.container().orElseThrow().logTail()).doesNotContain("export 1 written");
        }
    }

    /** Without the agent the same loss is invisible: the container exits 143 at once, and the verdict says it is coarse. */
    @Nested
    @Testcontainers
    class BrokenSeenFromOutside {
        @Container
        final GenericContainer<?> service = exportService(LONG_EXPORT);

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.withoutAgent(service);

        @Test
        void looksCleanFromOutside() {
            startExport(service.getHost(), service.getMappedPort(PORT));
            await().atMost(Duration.ofSeconds(10)).until(() -> service.getLogs().contains("export 1 started"));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));

            ShutdownAssertions.assertThat(report).isClean().hasExitStatus(143);
            assertThat(report.container().orElseThrow().coarse()).isTrue();
            assertThat(report.container().orElseThrow().logTail()).doesNotContain("export 1 written");
        }
    }

    /** A hook stops the server, then awaits the export: it is written within the grace period, and the container exits 143. */
    @Nested
    @Testcontainers
    class Graceful {
        @Container
        final GenericContainer<?> service = exportService("--graceful");

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(service);

        @Test
        void theExportInFlightIsWrittenBeforeTheContainerStops() {
            startExport(service.getHost(), service.getMappedPort(PORT));
            await().atMost(Duration.ofSeconds(10)).until(() -> service.getLogs().contains("export 1 started"));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));

            ShutdownAssertions.assertThat(report).isClean().hasExitStatus(143).wasNotKilled();
            assertThat(report.container().orElseThrow().logTail()).contains("export 1 written");
        }
    }

    /**
     * The same graceful service with a grace period shorter than the export (Kubernetes'
     * {@code terminationGracePeriodSeconds}, {@code docker stop -t}): Docker kills it while its hook still waits.
     */
    @Nested
    @Testcontainers
    class GracePeriodTooShort {
        @Container
        final GenericContainer<?> service = exportService("--graceful", LONG_EXPORT);

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(service);

        @Test
        void dockerKillsTheServiceWhileItsHookWaits() {
            startExport(service.getHost(), service.getMappedPort(PORT));
            await().atMost(Duration.ofSeconds(10)).until(() -> service.getLogs().contains("export 1 started"));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(1));

            ShutdownAssertions.assertThat(report).hasOnlyViolations(Violation.Kind.HOOK_TIMEOUT, Violation.Kind.ABANDONED_TASK);
            assertThat(report.container().orElseThrow().exitCode()).isEqualTo(137);
            assertThat(report.container().orElseThrow().gracePeriodExceeded()).isTrue();
        }
    }

    /**
     * The graceful service, started by an entrypoint script that does not {@code exec} java: the shell is PID 1
     * and passes no signal on, so the JVM never begins its shutdown, its hook never runs, and Docker kills it
     * when the grace period ends. The hook is right; the image is not. The report names the cause first:
     * <pre>
     * 1) SHUTDOWN_NEVER_STARTED: the JVM never began its shutdown: docker stop's SIGTERM did not start it, and Docker
     *    killed it (SIGKILL, exit code 137) when the grace period of 2 s ended; its shutdown hook
     *    "export-service-shutdown" never ran
     *      the JVM is PID 6 in the container, not its main process: PID 1 is `/usr/bin/sh -c .../bin/java -cp
     *      /app/classes dev.gracefulshutdown.examples.http.ExportService --port=8080 --graceful; echo the entrypoint
     *      script goes on`, which does not pass SIGTERM on
     *      fix: make the JVM the container's main process: the exec form ENTRYPOINT ["java", ...], or exec java ...
     *      as the last line of an entrypoint script; ...
     *
     * 2) ABANDONED_TASK: task lambda in dev.gracefulshutdown.examples.http.ExportService (task#1) ...
     *      fix: first make the JVM begin its shutdown on SIGTERM (SHUTDOWN_NEVER_STARTED above): no hook ran, ...
     * </pre>
     */
    @Nested
    @Testcontainers
    class GracefulBehindAShellScript {
        @Container
        final GenericContainer<?> service = startedByAShellScript(exportService("--graceful"));

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(service);

        @Test
        void theHookNeverRunsBecauseTheJvmNeverGetsTheSignal() {
            startExport(service.getHost(), service.getMappedPort(PORT));
            await().atMost(Duration.ofSeconds(10)).until(() -> service.getLogs().contains("export 1 started"));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(2));

            ShutdownAssertions.assertThat(report).hasOnlyViolations(Violation.Kind.SHUTDOWN_NEVER_STARTED,
                    Violation.Kind.ABANDONED_TASK);
            assertThat(report.container().orElseThrow().exitCode()).isEqualTo(137);
            assertThat(report.violations().get(0).where()).contains("PID 1 is `/usr/bin/sh -c");
            assertThat(report.container().orElseThrow().logTail()).doesNotContain("export 1 written");
        }
    }
}
