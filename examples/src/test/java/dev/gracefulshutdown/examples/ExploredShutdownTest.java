package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.ExploreShutdown;
import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.explore.Journal;
import dev.gracefulshutdown.examples.explore.OrderImporter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code SIGTERM} at every step, and the hooks in every order ({@link ExploreShutdown}).
 *
 * <p>An importer parses a file on one pool and writes it on another; its hook stops both pools at once. When the
 * signal comes at the end it is clean, but when it comes while a file is being parsed, the writers are already stopped
 * when the parser hands the file on: the file is lost. The fix stops the pools in the order work flows through them,
 * and passes at every point.
 *
 * <p>A journal registers a flush hook and a close hook. The JVM starts both at once, in no set order: here the flush
 * usually wins, but when the close hook runs first the flush is refused. The fix is one hook that flushes, then closes.
 */
class ExploredShutdownTest {

    private static final Duration PARSING = Duration.ofMillis(100);

    @Test
    @GracefulShutdownTest(gracePeriod = "5s")
    void importerIsCleanWhenSigtermComesAtTheEnd() throws Exception {
        OrderImporter importer = new OrderImporter(OrderImporter.Stopping.BOTH_POOLS_AT_ONCE, PARSING);
        importer.importFile("orders.csv");
        importer.awaitWritten(Duration.ofSeconds(5));
    }   // SIGTERM once the file is written: nothing to lose, the bug stays hidden

    /*
     * Found by @ExploreShutdown on the same code: the plain run passes, and 5 of its 8 points fail (from the hook's
     * registration until the parser hands the file on; once the writer has it, SIGTERM is harmless):
     *
     * SIGTERM after task#1 (submitted at OrderImporter.java:42) started: Graceful shutdown after SIGTERM (grace period 5 s): 1 violation
     *
     * 1) REJECTED_TASK: task lambda in dev.gracefulshutdown.examples.explore.OrderImporter (task#2) on ThreadPoolExecutor#2
     *    was rejected because the executor was already shut down
     *      submitted at dev.gracefulshutdown.examples.explore.OrderImporter.lambda$importFile$1(OrderImporter.java:44)
     *      executor shut down at dev.gracefulshutdown.examples.explore.OrderImporter.stop(OrderImporter.java:79)
     *
     * SIGTERM came right after that point, while the application went on (the JVM runs the hooks on its own threads).
     * Replay exactly this run: @ExploreShutdown(replay = "after task#1 started")
     *
     * That run, kept as the regression test (without expect it fails with the same message):
     */
    @ExploreShutdown(replay = "after task#1 started")
    @GracefulShutdownTest(gracePeriod = "5s", expect = Violation.Kind.REJECTED_TASK)
    void sigtermWhileTheFileIsParsedLosesIt() throws Exception {
        OrderImporter importer = new OrderImporter(OrderImporter.Stopping.BOTH_POOLS_AT_ONCE, PARSING);
        if (importer.importFile("orders.csv")) {
            importer.awaitWritten(Duration.ofSeconds(5));
        }
    }

    @ExploreShutdown
    @GracefulShutdownTest(gracePeriod = "5s")
    void importerStoppingInTheOrderWorkFlowsSurvivesSigtermAnywhere() throws Exception {
        OrderImporter importer = new OrderImporter(OrderImporter.Stopping.IN_THE_ORDER_WORK_FLOWS, PARSING);
        if (importer.importFile("orders.csv")) {
            importer.awaitWritten(Duration.ofSeconds(5));
        }
    }

    /*
     * Found by @ExploreShutdown on the same code: all at once (the plain run) and every point pass, "hooks 1,2" passes,
     * and "hooks 2,1" fails:
     *
     * SIGTERM when the method returns, hooks one after another: hook#2 "journal-close", then hook#1 "journal-flush":
     * Graceful shutdown after SIGTERM (grace period 5 s): 2 violations
     *
     * 1) HOOK_FAILED: shutdown hook "journal-flush" threw java.util.concurrent.RejectedExecutionException: ...
     *
     * 2) REJECTED_TASK: task lambda in dev.gracefulshutdown.examples.explore.Journal (task#1) on ThreadPoolExecutor#1
     *    was rejected because the executor was already shut down
     *      submitted at dev.gracefulshutdown.examples.explore.Journal.flush(Journal.java:38)
     *      executor shut down at dev.gracefulshutdown.examples.explore.Journal.close(Journal.java:48)
     *
     * The hooks ran one after another in that order (the JVM starts them all at once, so any order can happen).
     * The hooks depend on each other's order: this order loses work, while all at once, hooks 1,2 passed. Make one hook
     * do the steps in order, or have one hook wait for the other.
     * Replay exactly this run: @ExploreShutdown(replay = "hooks 2,1")
     *
     * That run, kept as the regression test:
     */
    @ExploreShutdown(replay = "hooks 2,1")
    @GracefulShutdownTest(gracePeriod = "5s", expect = {Violation.Kind.REJECTED_TASK, Violation.Kind.HOOK_FAILED})
    void closeHookBeforeTheFlushHookLosesTheBuffer() {
        Journal journal = new Journal(Duration.ofMillis(150));
        Runtime.getRuntime().addShutdownHook(journal.flushHook());
        Runtime.getRuntime().addShutdownHook(journal.closeHook());
        journal.append("order-1");
    }

    @ExploreShutdown
    @GracefulShutdownTest(gracePeriod = "5s")
    void oneHookFlushesThenClosesAtAnyPoint() {
        Journal journal = new Journal(Duration.ofMillis(150));
        Runtime.getRuntime().addShutdownHook(journal.flushThenCloseHook());
        journal.append("order-1");
    }
}
