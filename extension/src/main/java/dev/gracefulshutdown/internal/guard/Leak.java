package dev.gracefulshutdown.internal.guard;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import java.util.List;

/**
 * One thing a guarded test (or a class's {@code @BeforeAll}/{@code @AfterAll}) started and left behind.
 *
 * @param test the test's id, as the baseline names it ({@code com.acme.ReportServiceTest#renders()})
 * @param kind what was left
 * @param what the thing itself, for people ({@code ThreadPoolExecutor#1 (2 threads alive)})
 * @param site where it was created, submitted or registered, with line numbers
 * @param siteKey the same site without line numbers, so that a baseline survives edits above it
 * @param detail more of what is true of it (its state, the exception), or empty
 */
public record Leak(String test, Kind kind, String what, String site, String siteKey, String detail) {

    /** What a test left behind. */
    public enum Kind {
        /** A non-daemon thread the test started is still running. */
        THREAD_STILL_RUNNING("still running", "stop it when the code that started it is done (a flag or an interrupt its "
                + "loop obeys, then join()); make it a daemon thread only if its work may be lost"),
        /** An executor the test created was never shut down. */
        POOL_NEVER_SHUT_DOWN("never shut down", "call shutdown() and then awaitTermination(...) where its owner is closed "
                + "(close(), @AfterEach, try-with-resources on JDK 19+)"),
        /** A task the test submitted is still running. */
        TASK_STILL_RUNNING("still running", "wait for it before the test ends (Future.get(), join(), awaitTermination), "
                + "or cancel it"),
        /** A task the test submitted is still queued or scheduled. */
        TASK_STILL_QUEUED("still queued", "wait for it or cancel it; a periodic task: cancel it, or shut its scheduler down"),
        /** A shutdown hook the test registered was never removed. */
        HOOK_NEVER_REMOVED("registered and never removed", "remove it (Runtime.removeShutdownHook) when what registered it "
                + "is closed, or register hooks in main only"),
        /** A thread the test started died with an uncaught exception. */
        UNCAUGHT_EXCEPTION("died with an uncaught exception", "catch and handle the failure inside the thread's run(), or "
                + "give the thread an UncaughtExceptionHandler that reports it; for a pool's task use submit() and check "
                + "its Future");

        final String verb;
        final String fix;

        Kind(String verb, String fix) {
            this.verb = verb;
            this.fix = fix;
        }

        public String fix() {
            return fix;
        }
    }

    /** The baseline's key: test, kind and creation site without line numbers. */
    public String key() {
        return test + " | " + kind + " | " + siteKey;
    }

    /** The site to show, and the key's site: the innermost frame of the user's code, without its line. */
    static String[] sites(CallSite site) {
        if (site == null || site.frames().isEmpty()) {
            return new String[] {"unknown site", "unknown site"};
        }
        List<StackTraceElement> frames = site.frames();
        StackTraceElement chosen = frames.get(0);
        for (StackTraceElement frame : frames) {
            if (!KnownLibraries.contains(frame.getClassName())) {
                chosen = frame;
                break;
            }
        }
        String key = chosen.getClassName() + "." + chosen.getMethodName();
        if (chosen != frames.get(0)) {
            key += " via " + frames.get(0).getClassName() + "." + frames.get(0).getMethodName();
        }
        return new String[] {site.where(), key};
    }
}
