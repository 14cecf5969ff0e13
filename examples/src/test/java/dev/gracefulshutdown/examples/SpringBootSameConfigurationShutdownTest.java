package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.boot.ExportApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A second class with the configuration of {@link SpringBootServiceShutdownTest.AwaitTerminationAlone}. Spring's
 * context cache would hand both the same context (and executor); a kit test always gets its own, loaded in its
 * lifetime, so both verdicts are the truth, whichever runs first.
 */
@SpringBootTest(classes = ExportApplication.class,
        properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "spring.task.execution.shutdown.await-termination=true"})
@GracefulShutdownTest(gracePeriod = "15s")
class SpringBootSameConfigurationShutdownTest extends SpringBootServiceShutdownTest.ExportInFlight {

    /* Without expect: ABANDONED_TASK, the export on "task-1" cut off by the halt. */
    @Test
    @GracefulShutdownTest(gracePeriod = "15s", expect = Violation.Kind.ABANDONED_TASK)
    void exportInFlightIsCutOff() throws InterruptedException {
        startExport();
    }

    /* The same class's second test gets a fresh context (the first one's was shut down). */
    @Test
    @GracefulShutdownTest(gracePeriod = "15s", expect = Violation.Kind.ABANDONED_TASK)
    void anotherExportInFlightIsCutOff() throws InterruptedException {
        startExport();
    }
}
