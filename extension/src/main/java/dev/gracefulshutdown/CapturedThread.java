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
 */
public record CapturedThread(String name, long id, boolean daemon, boolean virtual, Role role, String executor,
        String createdBy, CallSite creationSite, Thread.State state, List<StackTraceElement> stack, boolean callingExit) {

    /** What a thread is for the application. */
    public enum Role {
        /** A thread the application started itself. */
        APPLICATION,
        /** A worker thread of an executor. */
        POOL_WORKER,
        /** A thread that runs one task of a thread-per-task executor. */
        TASK_THREAD,
        /** A shutdown hook, started by the simulated shutdown. */
        HOOK
    }

    public CapturedThread {
        stack = List.copyOf(stack);
    }

    /** Whether the thread was still alive. */
    public boolean alive() {
        return state != Thread.State.TERMINATED;
    }
}
