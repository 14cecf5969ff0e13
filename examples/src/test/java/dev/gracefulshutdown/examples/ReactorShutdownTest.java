package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.reactor.ExportPipeline;
import org.junit.jupiter.api.Test;

/**
 * Reactor 3.8 ({@link ExportPipeline}): a blocking export (1.5 s) runs on {@code Schedulers.newBoundedElastic(4, 100,
 * "export")} when {@code SIGTERM} arrives. Reactor's threads are daemons; {@code main} blocks until the hook has
 * stopped the pipeline, as a server's {@code onDispose().block()} does.
 *
 * <p>Ground truth: {@code java -cp examples/target/classes:<runtime class path> <main class> <args>}, {@code kill -TERM}
 * once the ready line appeared, on JDK 25.0.3 and on JDK 17.0.15 with the same result; each test says what was seen.
 */
class ReactorShutdownTest {

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the export, a hook calling scheduler.dispose(): the export caught
     * "java.lang.InterruptedException: sleep interrupted" (dispose() calls shutdownNow() on the worker's
     * ScheduledThreadPoolExecutor), "export written" never printed, exit 143 0.1 s after SIGTERM.
     * (No hook at all: the JVM halted at once, 0.02 s, exit 143, no interrupt: the export was cut off, ABANDONED_TASK.)
     *
     * Without expect, this test fails with (the kit at 5133a19 already says it):
     *
     * 1) INTERRUPTED_TASK: task reactor.core.scheduler.SchedulerTask (task#2) on BoundedScheduledExecutorService#4 was
     *    interrupted while running on thread "export-1"
     *      submitted at dev.gracefulshutdown.examples.reactor.ExportPipeline.main(ExportPipeline.java:48)
     *        via reactor.core.scheduler.Schedulers.directSchedule(Schedulers.java:1392)
     *      interrupted by shutdownNow() at dev.gracefulshutdown.examples.reactor.ExportPipeline.lambda$main$0(ExportPipeline.java:39)
     *        via reactor.core.scheduler.BoundedElasticScheduler$BoundedScheduledExecutorService.shutdownNow(BoundedElasticScheduler.java:993)
     *      fix: shut the executor down with shutdown() rather than shutdownNow(), then awaitTermination(...) ...
     *      (for Reactor, that is scheduler.disposeGracefully().timeout(...).block() instead of dispose())
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportPipeline.class, args = "--shutdown=dispose",
            readyOutput = "export started", expect = Violation.Kind.INTERRUPTED_TASK)
    void disposeInterruptsTheRunningExport() {
    }   // SIGTERM: dispose() interrupts the export

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the export, a hook calling
     * scheduler.disposeGracefully().timeout(Duration.ofSeconds(3)).block(): "export written" printed, the subscriber
     * got "export q3 done", exit 143 1.26 s after SIGTERM. The timeout's timer task on Schedulers.parallel() never
     * fired: Reactor cancels it once the dispose completed, which is no lost work (no DROPPED_TASK).
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportPipeline.class, args = "--shutdown=graceful",
            readyOutput = "export started")
    void disposeGracefullyWithATimeoutLetsTheExportFinish() {
    }
}
