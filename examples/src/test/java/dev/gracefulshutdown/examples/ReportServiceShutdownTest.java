package dev.gracefulshutdown.examples;

import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.reports.ReportService;
import dev.gracefulshutdown.examples.reports.SessionCleaner;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Story 1: a report service that owns a thread pool.
 *
 * <p>Broken: nobody shuts the pool down. After {@code main} returns its idle workers keep the JVM alive
 * forever; on {@code SIGTERM} a report in flight dies mid-way. Fixed: a shutdown hook calls
 * {@code shutdown()} and waits for the running reports. The daemon session cleaner beside it is expendable
 * and never blamed.
 */
class ReportServiceShutdownTest {

    /*
     * Without expect, this test fails with:
     *
     * 1) LINGERING_THREAD: non-daemon thread "pool-2-thread-1" keeps the JVM alive after main returns
     *      pool ThreadPoolExecutor[core=4, max=4, keepAlive=0 s] created at dev.gracefulshutdown.examples.reports.ReportService.<init>(ReportService.java:17)
     *      why: it is a worker of a pool that is never shut down, and a pool's core threads wait for work forever
     *      fix: shut the pool down when the application stops: shutdown() then awaitTermination(...) ...
     */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
    void poolNeverShutDownKeepsTheJvmAlive() throws Exception {
        ReportService service = new ReportService(Duration.ofMillis(10));
        service.submit("q3").get();
    }   // main returns: the JVM waits for the pool's idle workers forever

    /*
     * Without expect, this test fails with:
     *
     * 1) ABANDONED_TASK: task lambda in dev.gracefulshutdown.examples.reports.ReportService (task#1) on ThreadPoolExecutor#1
     *    was still running on thread "pool-1-thread-1" when the JVM halted
     *      submitted at dev.gracefulshutdown.examples.reports.ReportService.submit(ReportService.java:26)
     *      at the halt: TIMED_WAITING in dev.gracefulshutdown.examples.reports.ReportService.render(ReportService.java:43)
     *      fix: in the shutdown path (a hook or the framework's stop callback) call shutdown() and then awaitTermination(...) ...
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", expect = Violation.Kind.ABANDONED_TASK)
    void reportInFlightAtSigtermIsLost() {
        ReportService service = new ReportService(Duration.ofSeconds(3));
        service.submit("q3");
        await().atMost(Duration.ofSeconds(5)).until(() -> service.inFlight() == 1);
    }   // SIGTERM: no hook, so the JVM halts at once and the report dies mid-way

    @Test
    @GracefulShutdownTest(gracePeriod = "5s")
    void shutdownHookAwaitsTheRunningReports() {
        new SessionCleaner().start(Duration.ofMillis(50));
        ReportService service = new ReportService(Duration.ofMillis(300));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.shutdown(Duration.ofSeconds(4)); // within the 5 s grace period
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "report-service-shutdown"));
        service.submit("q3");
        await().atMost(Duration.ofSeconds(5)).until(() -> service.inFlight() == 1);
    }   // SIGTERM: the hook waits for the report, then the JVM halts; nothing is lost
}
