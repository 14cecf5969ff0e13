package dev.gracefulshutdown.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.ShutdownAssertions;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.batch.ImportJob;
import dev.gracefulshutdown.testcontainers.ContainerShutdown;
import dev.gracefulshutdown.testcontainers.RequiresDocker;
import dev.gracefulshutdown.testsupport.HostJdkContainer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Story 4 as it fails in production: the batch job runs in a container (a Kubernetes {@code Job}, a cron
 * container), the import is done, {@code main} returns, and the container keeps running. Nothing stops it; the kit
 * waits for it to exit by itself ({@code awaitExit}) and, past the exit timeout, kills it and names the thread
 * that kept it alive. The in-process form of the same story is {@link BatchJobShutdownTest}.
 *
 * <p>In your project the container is your job's image. Here {@link HostJdkContainer} stands in for it: this
 * machine's JDK, the compiled examples and their runtime jars ({@code target/application-libs}, copied by the
 * build), laid out as Jib lays out an image.
 */
@RequiresDocker
class ImportJobContainerTest {

    static GenericContainer<?> importJob(String... args) {
        return HostJdkContainer.running(ImportJob.class, runtimeJars(), "ImportJob started", args);
    }

    private static Path runtimeJars() {
        return HostJdkContainer.classesOf(ImportJob.class).resolveSibling("application-libs");
    }

    /**
     * The context is never closed. The report:
     * <pre>
     * Graceful shutdown after main returned (the JVM would not exit within the exit timeout of 5 s): 1 violation
     *
     * 1) LINGERING_THREAD: non-daemon thread "import-1" keeps the JVM alive after main returns
     *      pool ThreadPoolTaskExecutor$1[core=1, max=unbounded, keepAlive=60 s] created at
     *        dev.gracefulshutdown.examples.batch.ImportJob.main(ImportJob.java:28)
     *        via org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor$1.&lt;init&gt;(ThreadPoolTaskExecutor.java:282)
     *      why: still running 5 s after the kit began to wait for the container to exit (the exit timeout); the
     *        container was killed
     *      now: WAITING in java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:435)
     *      fix: shut the pool down when the application stops: shutdown() then awaitTermination(...) in a finally
     *        block, a shutdown hook or the framework's stop callback (or try-with-resources on JDK 19+); use daemon
     *        threads only for work that may die with the JVM
     *
     * (container local/empty:1 (a63e359bcb6e): did not exit within the exit timeout of 5 s, killed (SIGKILL, exit
     *  code 137); captured 1 threads, 1 executors, 1 tasks, 0 hooks; shutdown took 5118 ms)
     * </pre>
     */
    @Nested
    @Testcontainers
    class ContextNeverClosed {
        @Container
        final GenericContainer<?> job = importJob();

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(job);

        @Test
        void theImportIsDoneButTheContainerNeverExits() {
            ShutdownReport report = shutdown.awaitExit(Duration.ofSeconds(5));

            ShutdownAssertions.assertThat(report).hasOnlyViolations(Violation.Kind.LINGERING_THREAD);
            assertThat(report.jvmExits()).isFalse();
            assertThat(report.toString())
                    .contains("non-daemon thread \"import-1\" keeps the JVM alive after main returns")
                    .contains("created at dev.gracefulshutdown.examples.batch.ImportJob.main(ImportJob.java:")
                    .contains("ThreadPoolTaskExecutor");
            assertThat(report.container().orElseThrow().logTail()).contains("ImportJob imported 1000 rows");
        }
    }

    /** The job closes its context when it is done: the executor is shut down, and the container exits with 0. */
    @Nested
    @Testcontainers
    class ContextClosedWhenDone {
        @Container
        final GenericContainer<?> job = importJob("--close-context");

        @RegisterExtension
        final ContainerShutdown shutdown = ContainerShutdown.of(job);

        @Test
        void theContainerExitsByItself() {
            ShutdownReport report = shutdown.awaitExit(Duration.ofSeconds(30));

            ShutdownAssertions.assertThat(report).isClean().hasExitStatus(0).wasNotKilled();
            assertThat(report.container().orElseThrow().logTail()).contains("ImportJob imported 1000 rows");
        }
    }
}
