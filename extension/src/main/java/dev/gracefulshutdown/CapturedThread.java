package dev.gracefulshutdown;

import java.util.List;

/**
 * A thread started by the application during the test, as it was when the simulated JVM halted (or, when
 * the JVM would not exit, when that was decided).
 *
 * @param name the thread's name
 * @param id the thread's id
 * @param daemon whether it is a daemon thread (virtual threads always are)
 * @param virtual whether it is a virtual thread
 * @param role what the thread is for the application
 * @param executor the executor it works for ({@link CapturedExecutor#id()}), or empty
 * @param createdBy the name of the thread that started it
 * @param creationSite where it was started (for a pool worker: where the pool was asked for work)
 * @param state its state at the halt; {@code TERMINATED} once it has ended
 * @param stack the innermost frames of its stack at the halt; empty once it has ended
 * @param callingExit whether it was inside {@code System.exit} or {@code Runtime.halt}: as in a real JVM, it
 *     runs (or waits for) the shutdown, so it is never blamed
 * @param activity what it was doing at the halt, read from its stack: the user's work, or waiting for work
 * @param interruptSite where the shutdown interrupted it while it did the user's work, or {@code null}
 * @param caughtFailure an exception that the user's code on this thread caught (and did not rethrow) during the
 *     shutdown, or {@code null}
 * @param caughtAt where that exception was caught, or {@code null}
 * @param diedWith the exception it died with (uncaught), or {@code null}
 * @param diedDuringShutdown whether it died that way after the shutdown began (its work was lost to the shutdown)
 * @param startedAtNanos when it was started, in nanoseconds since the application's lifetime began (the test's
 *     capture opened), or {@link #NOT_SEEN}
 * @param endedAtNanos when it ended, on the same clock, or {@link #NOT_SEEN} while it was alive (or its end was not
 *     seen)
 */
public record CapturedThread(String name, long id, boolean daemon, boolean virtual, Role role, String executor,
        String createdBy, CallSite creationSite, Thread.State state, List<StackTraceElement> stack, boolean callingExit,
        Activity activity, CallSite interruptSite, Throwable caughtFailure, String caughtAt, Throwable diedWith,
        boolean diedDuringShutdown, long startedAtNanos, long endedAtNanos) {

    /** The value of a moment ({@code ...AtNanos}) that did not happen, or that the kit did not see. */
    public static final long NOT_SEEN = -1;

    /** What a thread is for the application. */
    public enum Role {
        /** A thread the application started itself. */
        APPLICATION,
        /** A worker thread of an executor. */
        POOL_WORKER,
        /** A thread that runs one task of a thread-per-task executor. */
        TASK_THREAD,
        /**
         * A thread that a server or framework started for its own pool or event loop (Tomcat's request threads,
         * Jetty's, Netty's event loops, Quartz's workers): what it runs of the user's code is the user's work.
         */
        FRAMEWORK_WORKER,
        /** A shutdown hook, started by the simulated shutdown. */
        HOOK
    }

    /** What a thread was doing, read from its stack. */
    public enum Activity {
        /** Running the user's code: its work is lost if the JVM halts now. */
        WORKING,
        /** Waiting for work: in a pool's or event loop's wait, or in its own loop between two rounds. */
        IDLE,
        /** It had ended. */
        ENDED
    }

    public CapturedThread {
        stack = List.copyOf(stack);
    }

    /** A thread whose start and end were not recorded. */
    public CapturedThread(String name, long id, boolean daemon, boolean virtual, Role role, String executor,
            String createdBy, CallSite creationSite, Thread.State state, List<StackTraceElement> stack, boolean callingExit,
            Activity activity, CallSite interruptSite, Throwable caughtFailure, String caughtAt, Throwable diedWith,
            boolean diedDuringShutdown) {
        this(name, id, daemon, virtual, role, executor, createdBy, creationSite, state, stack, callingExit, activity,
                interruptSite, caughtFailure, caughtAt, diedWith, diedDuringShutdown, NOT_SEEN, NOT_SEEN);
    }

    /**
     * Whether what this thread runs is the user's work, judged like a task: a server's or framework's worker,
     * or a non-daemon thread the application started. A daemon thread the application started itself is
     * expendable by its own choice.
     */
    public boolean runsUsersWork() {
        return role == Role.FRAMEWORK_WORKER || role == Role.APPLICATION && !daemon;
    }

    /** Whether the thread was still alive. */
    public boolean alive() {
        return state != Thread.State.TERMINATED;
    }
}
