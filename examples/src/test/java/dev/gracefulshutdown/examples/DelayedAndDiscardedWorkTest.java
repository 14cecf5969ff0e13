package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.jdk.DelayedExport;
import dev.gracefulshutdown.examples.jdk.DiscardingExportQueue;
import dev.gracefulshutdown.examples.jdk.ScheduledExport;
import dev.gracefulshutdown.examples.jdk.TimerExport;
import org.junit.jupiter.api.Test;

/**
 * Work the JDK accepts and then never runs, without an exception anywhere: delayed, discarded, cancelled.
 *
 * <p>Ground truth: {@code java -cp examples/target/classes:<runtime class path> <main class> <args>}, {@code kill -TERM}
 * once the ready line appeared, on JDK 25.0.3 and on JDK 17.0.15 with the same result; each test says what was seen.
 */
class DelayedAndDiscardedWorkTest {

    /*
     * Verified in a real JVM: SIGTERM 0.2 s after CompletableFuture.runAsync(write, delayedExecutor(2 s, exports)), a
     * hook that shuts the exports pool down and awaits it (4 s): the pool was empty (the export still waited in
     * CompletableFuture's "CompletableFutureDelayScheduler"), so the hook returned at once, exit 143 0.1 s after
     * SIGTERM, "export written" never printed and the export never started.
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) DROPPED_TASK: task delayed task of CompletableFuture.delayedExecutor (task#1) on
     *    CompletableFuture.delayedExecutor(...) was accepted but never started
     *      submitted at dev.gracefulshutdown.examples.jdk.DelayedExport.exportLater(DelayedExport.java:53)
     *      fix: in the shutdown path, wait (within the grace period) for the futures of work scheduled with
     *        CompletableFuture.delayedExecutor, or run or persist it now: the JDK's delayer is a daemon thread, and
     *        work still waiting in it dies at the halt
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = DelayedExport.class, args = "--shutdown=pool-only",
            readyOutput = "export scheduled", expect = Violation.Kind.DROPPED_TASK)
    void aDelayedExportIsNotInThePoolTheHookAwaits() {
    }

    /*
     * Verified in a real JVM: the hook first waits for the pending futures (at most 4 s), then shuts the pool down:
     * the export started at its delay, "export written" printed, exit 143 2.3 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = DelayedExport.class, args = "--shutdown=await-pending",
            readyOutput = "export scheduled")
    void theHookWaitsForThePendingExportFirst() {
    }

    /*
     * Verified in a real JVM: one worker, a queue of one, DiscardPolicy, three 700 ms exports handed over at once, a
     * hook that shuts down and awaits (4 s): exports 1 and 2 were written, export 3 never started and nobody was told,
     * exit 143 1.2 s after SIGTERM.
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) DROPPED_TASK: task lambda in dev.gracefulshutdown.examples.jdk.DiscardingExportQueue (task#3) on
     *    ThreadPoolExecutor#1 was thrown away by ThreadPoolExecutor.DiscardPolicy: it never ran, and nothing was told
     *      submitted at dev.gracefulshutdown.examples.jdk.DiscardingExportQueue.main(DiscardingExportQueue.java:40)
     *      executor shut down at dev.gracefulshutdown.examples.jdk.DiscardingExportQueue.lambda$main$0(DiscardingExportQueue.java:35)
     *      fix: use a rejection policy that tells the submitter (the default AbortPolicy, then handle
     *        RejectedExecutionException), or size the queue and pool for the load; ...
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = DiscardingExportQueue.class, args = "--policy=discard",
            readyOutput = "3 exports submitted", expect = Violation.Kind.DROPPED_TASK)
    void discardPolicyThrowsAnExportAwaySilently() {
    }

    /*
     * Verified in a real JVM: the same, the caller waiting (at most 4 s) for room in the queue instead: all three
     * exports written, exit 143 1.2 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = DiscardingExportQueue.class, args = "--policy=bounded-put",
            readyOutput = "3 exports submitted")
    void aBoundedPutKeepsEveryExport() {
    }

    /*
     * Verified in a real JVM: a one-shot export scheduled 2 s ahead on a ScheduledThreadPoolExecutor with
     * setExecuteExistingDelayedTasksAfterShutdownPolicy(false), a hook that calls shutdown() and awaits (4 s):
     * shutdown() cancelled the export, the await returned at once, exit 143 0.08 s after SIGTERM, the export never ran.
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) DROPPED_TASK: task lambda in dev.gracefulshutdown.examples.jdk.ScheduledExport (task#1) on
     *    ScheduledThreadPoolExecutor#1 was thrown away by shutdown() of ScheduledThreadPoolExecutor#1 (its
     *    executeExistingDelayedTasksAfterShutdownPolicy is false): it never ran, and nothing was told
     *      submitted at dev.gracefulshutdown.examples.jdk.ScheduledExport.main(ScheduledExport.java:30)
     *      executor shut down at dev.gracefulshutdown.examples.jdk.ScheduledExport.lambda$main$0(ScheduledExport.java:27)
     *      fix: keep delayed tasks through the shutdown (setExecuteExistingDelayedTasksAfterShutdownPolicy(true), the
     *        default) and await them within the grace period, or run or persist the pending work in the shutdown path
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ScheduledExport.class, args = "--delayed-after-shutdown=false",
            readyOutput = "export scheduled", expect = Violation.Kind.DROPPED_TASK)
    void shutdownCancelsTheDelayedExport() {
    }

    /*
     * Verified in a real JVM: the default policy: the export ran at its time during the await, "export written"
     * printed, exit 143 2.8 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ScheduledExport.class, args = "--delayed-after-shutdown=true",
            readyOutput = "export scheduled")
    void theDefaultPolicyRunsTheDelayedExportDuringTheAwait() {
    }

    /*
     * Verified in a real JVM: a one-shot export scheduled 2 s ahead on a daemon java.util.Timer, SIGTERM 0.2 s after
     * it was scheduled, a hook that calls timer.cancel(): exit 143 within 0.1 s of SIGTERM, the export never started
     * (JDK 17.0.15 and 25.0.3).
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) DROPPED_TASK: task dev.gracefulshutdown.examples.jdk.TimerExport$1 (task#1) on java.util.Timer "exports" was
     *    thrown away by timer.cancel() (or by the end of the timer's thread: a task's uncaught exception ends it): it
     *    never ran, and nothing was told
     *      submitted at dev.gracefulshutdown.examples.jdk.TimerExport.main(TimerExport.java:44)
     *      fix: a java.util.Timer cannot be drained or awaited, and its thread dies at the halt with the task it runs
     *        and every task still scheduled: run what must run in the shutdown path, or move the work to a
     *        ScheduledExecutorService, then shutdown() and awaitTermination(...) within the grace period (its delayed
     *        tasks still run after shutdown() by default)
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = TimerExport.class, args = "--shutdown=cancel",
            readyOutput = "export scheduled", expect = Violation.Kind.DROPPED_TASK)
    void timerCancelThrowsTheScheduledExportAway() {
    }

    /*
     * Verified in a real JVM: the hook cancels the timer, takes the export back (task.cancel() returned true: it had
     * not run) and runs it: "export written" printed, exit 143 1.0 s after SIGTERM (JDK 17.0.15 and 25.0.3).
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = TimerExport.class, args = "--shutdown=run-pending",
            readyOutput = "export scheduled")
    void theHookRunsTheExportTheTimerStillHeld() {
    }
}
