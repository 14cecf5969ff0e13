package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.internal.capture.LiveTask;
import dev.gracefulshutdown.internal.capture.StackFrames;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the cleanup after a test could not stop, each named with what is true of it, for the
 * {@code gracefulshutdown.leftovers} report entry. The JDK's own machinery that the application merely used (the
 * HTTP keep-alive cache, an {@code HttpClient}'s selector and workers, a {@code Cleaner}, RMI's accept loop) is not
 * named: it runs only JDK code, on daemon threads the JDK manages, and cannot keep the JVM alive.
 */
final class Leftovers {

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
        if (!StackFrames.runsApplicationCode(thread)) { // the JDK's machinery, or a thread starting or ending
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
}
