package dev.gracefulshutdown;

import java.time.Duration;

/**
 * A shutdown hook the application registered with {@code Runtime.addShutdownHook} (captured, never
 * installed in the real JVM).
 *
 * @param name the hook thread's name
 * @param threadId the hook thread's id
 * @param registrationSite where it was registered
 * @param outcome what happened when the simulated shutdown ran it
 * @param duration how long it ran, until it ended or until the verdict
 * @param failure what it threw, or {@code null}
 * @param startedAtNanos when the shutdown started it, in nanoseconds since the application's lifetime began (the
 *     test's capture opened), or {@link CapturedThread#NOT_SEEN} if it never ran
 * @param endedAtNanos when it ended, on the same clock, or {@link CapturedThread#NOT_SEEN} if it was still running
 */
public record CapturedHook(String name, long threadId, CallSite registrationSite, Outcome outcome, Duration duration,
        Throwable failure, long startedAtNanos, long endedAtNanos) {

    /** A hook whose moments were not recorded. */
    public CapturedHook(String name, long threadId, CallSite registrationSite, Outcome outcome, Duration duration,
            Throwable failure) {
        this(name, threadId, registrationSite, outcome, duration, failure, CapturedThread.NOT_SEEN, CapturedThread.NOT_SEEN);
    }

    /** What happened to a hook. */
    public enum Outcome {
        /** It ran to the end within the grace period. */
        COMPLETED,
        /** It threw an exception. */
        FAILED,
        /** It was still running when the grace period ended. */
        TIMED_OUT,
        /** It called {@code System.exit}, which deadlocks a real JVM. */
        CALLED_EXIT,
        /** The shutdown never reached the hooks (the JVM would not exit) or was halted first. */
        NOT_RUN
    }
}
