package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.internal.capture.LiveTask;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the cleanup after a test could not stop, each named with what is true of it, for the
 * {@code gracefulshutdown.leftovers} report entry. The JDK's own machinery that the application merely used (the
 * HTTP keep-alive cache, an {@code HttpClient}'s selector and workers, a {@code Cleaner}, RMI's accept loop) is not
 * named: it runs only JDK code, on daemon threads the JDK manages, and cannot keep the JVM alive.
 */
final class Leftovers {

    private static final String[] JDK = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

    private Leftovers() {
    }

    /**
     * A thread of the test that is still alive after it was interrupted (and, if non-daemon, waited for), or
     * {@code null} when it is nothing the application left.
     */
    static String stillRunning(Thread thread, long waitedMillis) {
        if (!thread.isDaemon()) {
            return "\"" + thread.getName() + "\" (non-daemon: did not stop within " + waitedMillis + " ms of being interrupted)";
        }
        if (runsOnlyJdkCode(thread)) {
            return null;
        }
        return "\"" + thread.getName() + "\" (daemon: interrupted, not waited for; it cannot keep the JVM alive)";
    }

    /**
     * A thread of a pool the test did not create, still running one of the test's tasks: it is not interrupted, the
     * interrupt could reach the next task on it.
     */
    static String runningItsTask(Thread thread, LiveTask task) {
        String pool = thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()
                ? "a thread of the common pool"
                : "a thread of " + poolType(task.executorId()) + " created before this test began";
        return "\"" + thread.getName() + "\" (" + pool + ", still running " + task.id() + " of this test; not interrupted)";
    }

    private static String poolType(String executorId) {
        if (executorId == null || executorId.isEmpty()) {
            return "a pool";
        }
        String type = executorId.replaceFirst("[#@].*$", ""); // ThreadPoolExecutor#1, or the identity of a pool not captured
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /**
     * Whether every frame on the thread's stack is the JDK's: its own machinery, not the application's code. The kit's
     * own recording, called from the JDK's instrumented methods (a worker taking its next task), is machinery too.
     */
    private static boolean runsOnlyJdkCode(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        if (stack.length == 0) {
            return !thread.isAlive();
        }
        for (StackTraceElement frame : stack) {
            if (!isJdk(frame.getClassName())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJdk(String type) {
        if (type.startsWith("dev.gracefulshutdown.internal.capture.")) {
            return true;
        }
        for (String prefix : JDK) {
            if (type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
