package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.quartz.ExportScheduler;
import org.junit.jupiter.api.Test;

/**
 * Quartz 2.5 ({@link ExportScheduler}, RAMJobStore, SimpleThreadPool of 2): an export job (1.5 s) is running when
 * {@code SIGTERM} arrives. {@code main} starts the scheduler, fires the job and returns; Quartz's non-daemon threads
 * keep the application running.
 *
 * <p>Ground truth: {@code java -cp examples/target/classes:<runtime class path> <main class> <args>}, {@code kill -TERM}
 * once the ready line appeared, on JDK 25.0.3 and on JDK 17.0.15 with the same result; each test says what was seen.
 */
class QuartzShutdownTest {

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the job, a hook calling scheduler.shutdown(false): the hook returned
     * at once (SimpleThreadPool.shutdown(false) only tells the workers to stop after their job, no interrupt), the
     * JVM halted 0.05 s after SIGTERM with exit 143, "export written" never printed.
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) ABANDONED_TASK: task job dev.gracefulshutdown.examples.quartz.ExportScheduler$ExportJob (DEFAULT.export-q3)
     *    (task#1) on Quartz's SimpleThreadPool#1 was still running on thread "exports-2_Worker-1" when the JVM halted
     *      submitted at org.quartz.core.QuartzSchedulerThread.run(QuartzSchedulerThread.java:...)
     *      at the halt: TIMED_WAITING in java.lang.Thread.sleep(Native Method), called from
     *        dev.gracefulshutdown.examples.quartz.ExportScheduler$ExportJob.execute(ExportScheduler.java:68)
     *      fix: stop the server or framework gracefully in the shutdown path and wait for the work in flight within
     *        the grace period (... Quartz: shutdown(true); ...)
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportScheduler.class, args = "--shutdown=no-wait",
            readyOutput = "export started", expect = Violation.Kind.ABANDONED_TASK)
    void shutdownWithoutWaitingForJobsCutsTheJobOff() {
    }   // SIGTERM: shutdown(false) returns at once, the JVM halts, the job dies mid-export

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the job, a hook calling scheduler.shutdown(true): "export written"
     * printed, exit 143 1.3 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportScheduler.class, args = "--shutdown=wait",
            readyOutput = "export started")
    void shutdownWaitingForJobsLetsTheJobFinish() {
    }
}
