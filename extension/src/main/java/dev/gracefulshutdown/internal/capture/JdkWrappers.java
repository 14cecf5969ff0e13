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
    private static final String TASK_SUBMITTER = "java.util.concurrent.CompletableFuture$TaskSubmitter";
    private static final String ASYNC_RUN = "java.util.concurrent.CompletableFuture$AsyncRun";
    private static final String FJ_SCHEDULED = "java.util.concurrent.DelayScheduler$ScheduledForkJoinTask";
    /** A wrapper in a wrapper (a FutureTask submitted as a Runnable): a few levels, never a loop. */
    private static final int DEPTH = 4;

    private static volatile MethodHandle futureTasksCallable;
    private static volatile MethodHandle adaptersRunnable;
    private static volatile MethodHandle submittersAction;
    private static volatile MethodHandle asyncRunsFunction;
    private static volatile MethodHandle scheduledRunnable;

    private JdkWrappers() {
    }

    /** A {@code FutureTask} or the adapter {@code Executors.callable(...)} puts around a {@code Runnable}. */
    static boolean isWrapper(Object task) {
        if (task instanceof FutureTask) {
            return true;
        }
        String type = task == null ? "" : task.getClass().getName();
        return type.equals(RUNNABLE_ADAPTER) || type.equals(TASK_SUBMITTER) || type.equals(ASYNC_RUN) || type.equals(FJ_SCHEDULED);
    }

    static void open(MethodHandle[] getters) {
        futureTasksCallable = getters[0];
        adaptersRunnable = getters[1];
        submittersAction = getters[2];
        asyncRunsFunction = getters[3];
        scheduledRunnable = getters[4];
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
                Object inside = work instanceof FutureTask ? callable.invoke((FutureTask<?>) work) : opened(work, runnable);
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

    /** What a wrapper other than a {@code FutureTask} holds, or {@code null}. */
    private static Object opened(Object work, MethodHandle adapters) throws Throwable {
        String type = work.getClass().getName();
        MethodHandle submitters = submittersAction;
        MethodHandle asyncRuns = asyncRunsFunction;
        MethodHandle scheduled = scheduledRunnable;
        return type.equals(RUNNABLE_ADAPTER) ? adapters.invoke(work)
                : type.equals(TASK_SUBMITTER) && submitters != null ? submitters.invoke(work)
                : type.equals(ASYNC_RUN) && asyncRuns != null ? asyncRuns.invoke(work)
                : type.equals(FJ_SCHEDULED) && scheduled != null ? scheduled.invoke(work)
                : null;
    }
}
