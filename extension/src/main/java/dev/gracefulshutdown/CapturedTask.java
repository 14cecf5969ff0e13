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
 */
public record CapturedTask(String id, String description, String executor, CallSite submissionSite, Outcome outcome,
        String thread, Long threadId, Throwable failure, CallSite interruptSite, boolean duringShutdown, boolean periodic) {

    /** What became of a task. */
    public enum Outcome {
        /** It ran to the end. */
        COMPLETED,
        /** It ended with an exception. */
        FAILED,
        /** It was interrupted while running (by {@code shutdownNow()}, {@code cancel(true)} or the shutdown). */
        INTERRUPTED,
        /** It was still running when the JVM halted (or when the verdict was taken). */
        RUNNING,
        /** It was accepted but never started. */
        NEVER_STARTED,
        /** The application cancelled it before it started, before the shutdown (a deliberate cancel). */
        CANCELLED,
        /** Its executor refused it. */
        REJECTED
    }
}
