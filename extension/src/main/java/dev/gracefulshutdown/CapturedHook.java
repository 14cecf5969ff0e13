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
 */
public record CapturedHook(String name, long threadId, CallSite registrationSite, Outcome outcome, Duration duration,
        Throwable failure) {

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
