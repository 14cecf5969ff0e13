package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.FutureTask;

/**
 * The work inside the JDK's wrappers: the callable of a {@code FutureTask} (what {@code submit} and {@code schedule}
 * build) and the runnable of the adapter {@code Executors.callable(...)} puts around a {@code Runnable}. The agent
 * opens {@code java.util.concurrent} to a class loader of the kit's alone, never to the code under test; without the
 * agent's opening the wrappers stay closed, and callers fall back to what the wrapper says of itself.
 */
final class JdkWrappers {

    private static final String RUNNABLE_ADAPTER = "java.util.concurrent.Executors$RunnableAdapter";
    /** A wrapper in a wrapper (a FutureTask submitted as a Runnable): a few levels, never a loop. */
    private static final int DEPTH = 4;

    private static volatile MethodHandle futureTasksCallable;
    private static volatile MethodHandle adaptersRunnable;

    private JdkWrappers() {
    }

    /** A {@code FutureTask} or the adapter {@code Executors.callable(...)} puts around a {@code Runnable}. */
    static boolean isWrapper(Object task) {
        return task instanceof FutureTask || task != null && task.getClass().getName().equals(RUNNABLE_ADAPTER);
    }

    static void open(MethodHandle[] getters) {
        futureTasksCallable = getters[0];
        adaptersRunnable = getters[1];
    }

    /**
     * What the task wraps, taken when it is submitted (a FutureTask forgets its callable once it is done): the task
     * itself when it is no JDK wrapper, or when the wrapper cannot be opened or is already done.
     */
    static Object workOf(Object task) {
        MethodHandle callable = futureTasksCallable;
        MethodHandle runnable = adaptersRunnable;
        if (!isWrapper(task) || callable == null || runnable == null) {
            return task;
        }
        Object work = task;
        try {
            for (int level = 0; level < DEPTH; level++) {
                Object inside = work instanceof FutureTask ? callable.invoke((FutureTask<?>) work)
                        : work.getClass().getName().equals(RUNNABLE_ADAPTER) ? runnable.invoke(work) : null;
                if (inside == null) {
                    break;
                }
                work = inside;
            }
        } catch (Throwable cannotLook) {
            return task;
        }
        return work;
    }
}
