package dev.gracefulshutdown.examples;

import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.boot.ExportApplication;
import dev.gracefulshutdown.examples.spring.ExportJob;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Story 3 as a Spring Boot 4 user writes it: {@code @SpringBootTest} plus {@code @GracefulShutdownTest}. The test's
 * ApplicationContext is the application: Boot's {@code applicationTaskExecutor} is created in the test's lifetime,
 * and the simulated SIGTERM closes the context as its shutdown hook would (lifecycle stop phase, then bean
 * destruction). Each nested class is one configuration, with a context of its own.
 */
@GracefulShutdownTest(gracePeriod = "15s")
class SpringBootServiceShutdownTest {

    /** A test of the application: an export (5 x 150 ms) in flight when SIGTERM comes. */
    abstract static class ExportInFlight {
        @Autowired
        ExportJob job;

        void startExport() throws InterruptedException {
            job.export(Duration.ofMillis(150));
            await().atMost(Duration.ofSeconds(10)).until(job::isRunning);
        }
    }

    /** Boot 4's defaults: the executor takes part in the lifecycle stop phase, which waits for the export. Clean. */
    @Nested
    @SpringBootTest(classes = ExportApplication.class, properties = {"logging.level.root=warn", "spring.main.banner-mode=off"})
    class Defaults extends ExportInFlight {
        @Test
        void exportInFlightIsWrittenBeforeTheJvmHalts() throws InterruptedException {
            startExport();
        }

        /*
         * A batch application that never closes its context: Boot's executor lets its threads time out only after its
         * 60 s keep-alive. Without expect:
         *
         * 1) LINGERING_THREAD: non-daemon thread "task-1" keeps the JVM alive after main returns
         *      why: it is an idle worker of a pool that is never shut down; it ends only when its keep-alive of 60 s
         *      expires, after the exit timeout of 5 s
         */
        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s", expect = Violation.Kind.LINGERING_THREAD)
        void batchJobNeverExits() throws Exception {
            job.export(Duration.ofMillis(10)).get();
        }
    }

    /*
     * spring.task.execution.shutdown.await-termination=true without a period (the configuration older Boot guides
     * give): Boot 4 still maps it to waitForTasksToCompleteOnShutdown(true) with no wait, which takes the executor out
     * of the stop phase; the close returns at once and the halt cuts the export off. Without expect: ABANDONED_TASK.
     */
    @Nested
    @SpringBootTest(classes = ExportApplication.class,
            properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "spring.task.execution.shutdown.await-termination=true"})
    class AwaitTerminationAlone extends ExportInFlight {
        @Test
        @GracefulShutdownTest(gracePeriod = "15s", expect = Violation.Kind.ABANDONED_TASK)
        void exportInFlightIsCutOff() throws InterruptedException {
            startExport();
        }
    }

    /** With a period the close waits for the export. Clean. */
    @Nested
    @SpringBootTest(classes = ExportApplication.class, properties = {"logging.level.root=warn", "spring.main.banner-mode=off",
        "spring.task.execution.shutdown.await-termination=true", "spring.task.execution.shutdown.await-termination-period=10s"})
    class AwaitTerminationWithAPeriod extends ExportInFlight {
        @Test
        void exportInFlightIsWrittenBeforeTheJvmHalts() throws InterruptedException {
            startExport();
        }
    }

    /** A batch application whose executor's threads time out after a second: the JVM exits by itself. Clean. */
    @Nested
    @SpringBootTest(classes = ExportApplication.class,
            properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "spring.task.execution.pool.keep-alive=1s"})
    class ShortKeepAlive extends ExportInFlight {
        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s")
        void batchJobExits() throws Exception {
            job.export(Duration.ofMillis(10)).get();
        }
    }
}
