package dev.gracefulshutdown;

/**
 * A task the application submitted to an executor during the test, with what became of it.
 *
 * @param id a short name for messages
 * @param description the task's class (or its {@code toString()} for futures)
 * @param executor the executor it was submitted to ({@link CapturedExecutor#id()})
 * @param submissionSite where it was submitted
 * @param outcome what became of it
 * @param thread the name of the thread that ran it, or {@code null} if it never started
 * @param threadId the id of that thread, or {@code null}
 * @param failure the exception it failed with, or {@code null}
 * @param interruptSite where the interrupt that reached it came from, or {@code null}
 * @param duringShutdown whether the shutdown brought its outcome: it ended or failed after the shutdown
 *     started, or was rejected because its executor was already shut down
 * @param periodic whether it is a periodic task of a scheduled executor (it never "completes")
 * @param discardedBy for a task thrown away without running: what threw it away (a rejection policy, or
 *     {@code shutdown()} of a scheduled executor that cancels delayed tasks), else {@code null}
 * @param caughtAt for a task whose failure its own code caught and did not rethrow: where it was caught, else
 *     {@code null}
 * @param submittedAtNanos when it was submitted, in nanoseconds since the application's lifetime began (the test's
 *     capture opened), or {@link CapturedThread#NOT_SEEN}
 * @param startedAtNanos when a thread began to run it, on the same clock, or {@link CapturedThread#NOT_SEEN} if it never
 *     started
 * @param endedAtNanos when it ended, or was cancelled, rejected or thrown away, on the same clock, or
 *     {@link CapturedThread#NOT_SEEN} while it ran (or queued) and when its end was not seen
 */
public record CapturedTask(String id, String description, String executor, CallSite submissionSite, Outcome outcome,
        String thread, Long threadId, Throwable failure, CallSite interruptSite, boolean duringShutdown, boolean periodic,
        String discardedBy, String caughtAt, long submittedAtNanos, long startedAtNanos, long endedAtNanos) {

    /** A task whose moments were not recorded. */
    public CapturedTask(String id, String description, String executor, CallSite submissionSite, Outcome outcome,
            String thread, Long threadId, Throwable failure, CallSite interruptSite, boolean duringShutdown, boolean periodic,
            String discardedBy, String caughtAt) {
        this(id, description, executor, submissionSite, outcome, thread, threadId, failure, interruptSite, duringShutdown,
                periodic, discardedBy, caughtAt, CapturedThread.NOT_SEEN, CapturedThread.NOT_SEEN, CapturedThread.NOT_SEEN);
    }

    /** What became of a task. */
    public enum Outcome {
        /** It ran to the end. */
        COMPLETED,
        /** It ended with an exception, or caught one during the shutdown and returned as if it had succeeded. */
        FAILED,
        /** It was interrupted while running (by {@code shutdownNow()}, {@code cancel(true)} or the shutdown). */
        INTERRUPTED,
        /** It was still running when the JVM halted (or when the verdict was taken). */
        RUNNING,
        /** It was accepted but never started. */
        NEVER_STARTED,
        /** Its owner cancelled it before it started, because it was no longer needed (a deliberate cancel). */
        CANCELLED,
        /**
         * It was thrown away without running and without an exception: a rejection policy that neither runs
         * nor throws ({@code DiscardPolicy}, {@code DiscardOldestPolicy}, {@code CallerRunsPolicy} after
         * {@code shutdown()}), or a delayed task that {@code shutdown()} cancels.
         */
        DISCARDED,
        /** Its executor refused it. */
        REJECTED
    }
}
