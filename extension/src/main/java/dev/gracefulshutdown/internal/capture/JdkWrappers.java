package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.FutureTask;

/**
 * The work inside the JDK's wrappers: the callable of a {@code FutureTask} (what {@code submit} and {@code schedule}
 * build), the runnable of the adapter {@code Executors.callable(...)} puts around a {@code Runnable}, and the runnable or
 * supplier {@code CompletableFuture}'s async methods and delayed executor (and JDK 25's scheduling common pool) relay. The agent
 * opens {@code java.util.concurrent} to a class loader of the kit's alone, never to the code under test; without the
 * agent's opening the wrappers stay closed, and callers fall back to what the wrapper says of itself.
 */
final class JdkWrappers {

    /** The wrappers other than a {@code FutureTask} (and its subclasses), by class name. */
    private static final java.util.Set<String> WRAPPERS = java.util.Set.of("java.util.concurrent.Executors$RunnableAdapter",
            "java.util.concurrent.CompletableFuture$TaskSubmitter", "java.util.concurrent.CompletableFuture$AsyncRun",
            "java.util.concurrent.CompletableFuture$AsyncSupply",
            "java.util.concurrent.DelayScheduler$ScheduledForkJoinTask");
    /** A wrapper in a wrapper (a FutureTask submitted as a Runnable): a few levels, never a loop. */
    private static final int DEPTH = 4;

    /** The getter of what each wrapper holds, by its class name ({@code FutureTask}'s for all of its kind); empty until opened. */
    private static volatile Map<String, MethodHandle> getters = Map.of();

    private JdkWrappers() {
    }

    /** Whether the task is one of the JDK's wrappers around the work it runs. */
    static boolean isWrapper(Object task) {
        return task instanceof FutureTask || task != null && WRAPPERS.contains(task.getClass().getName());
    }

    static void open(Map<String, MethodHandle> opened) {
        getters = Map.copyOf(opened);
    }

    /**
     * What the task wraps, taken when it is submitted (a FutureTask forgets its callable once it is done): the task
     * itself when it is no JDK wrapper, or when the wrapper cannot be opened or is already done.
     */
    static Object workOf(Object task) {
        Map<String, MethodHandle> open = getters;
        if (open.isEmpty() || !isWrapper(task)) {
            return task;
        }
        Object work = task;
        try {
            for (int level = 0; level < DEPTH && isWrapper(work); level++) {
                MethodHandle getter = open.get(work instanceof FutureTask ? FutureTask.class.getName() : work.getClass().getName());
                Object inside = getter == null ? null : getter.invoke(work);
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
