package dev.gracefulshutdown.internal.report;

/**
 * The exit codes a process gets from a signal (128 + the signal's number), as the kit's messages name them: an
 * orchestrator stops a JVM with {@code SIGTERM} and kills it with {@code SIGKILL} when the grace period ends.
 */
public final class ExitCodes {

    /** A process killed by {@code SIGKILL} (9): it could not run any of its shutdown. */
    public static final int SIGKILL = 137;
    /** A JVM that ended on {@code SIGTERM} (15) after running its shutdown hooks. */
    public static final int SIGTERM = 143;

    private ExitCodes() {
    }

    /** An exit code as messages write it, with the signal it stands for: {@code SIGKILL, exit code 137}, {@code exit code 1}. */
    public static String describe(int exitCode) {
        String signal = exitCode == SIGKILL ? "SIGKILL, " : exitCode == SIGTERM ? "SIGTERM, " : "";
        return signal + "exit code " + exitCode;
    }
}
