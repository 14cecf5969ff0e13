package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;

/**
 * Which future one of {@code CompletableFuture}'s own async steps completes: the step the JDK's HttpClient hands to its
 * async pool (a fork-join task on the common pool, or the runnable of a thread of its own) completes the very future
 * {@code sendAsync} returned, and so runs the stages the application chained on it. Read through the agent's opening
 * of {@code java.util.concurrent} and {@code java.lang} to a class loader of the kit's alone
 * ({@link BridgeDefiner#stepGetters()}); unopened, {@code null}, and callers fall back to what the call site says.
 */
final class CompletionSteps {

    private static volatile MethodHandle futureOfStep;
    private static volatile MethodHandle sourceOfStep;
    private static volatile MethodHandle taskOfThread;
    private static volatile MethodHandle futureOfSupply;
    private static volatile MethodHandle futureOfRun;

    private CompletionSteps() {
    }

    static void open(MethodHandle[] getters) {
        futureOfStep = getters[0];
        sourceOfStep = getters[1];
        taskOfThread = getters[2];
        futureOfSupply = getters[3];
        futureOfRun = getters[4];
    }

    private static final String STEPS = "java.util.concurrent.CompletableFuture$";
    private static final String SUPPLY = STEPS + "AsyncSupply";
    private static final String RUN = STEPS + "AsyncRun";

    /**
     * The future a task of {@code CompletableFuture}'s own completes (the one {@code supplyAsync} or {@code runAsync}
     * returned, or an async stage's, {@code thenApplyAsync}), read when it is submitted (the task lets go of it as it
     * runs); {@code null} for any other task, or when it cannot be read.
     */
    static java.util.concurrent.CompletableFuture<?> futureCompletedBy(Object task) {
        String type = task == null ? "" : task.getClass().getName();
        if (!type.startsWith(STEPS)) {
            return null;
        }
        try {
            MethodHandle getter = type.equals(SUPPLY) ? futureOfSupply : type.equals(RUN) ? futureOfRun : futureOfStep;
            return getter == null ? null : (java.util.concurrent.CompletableFuture<?>) getter.invoke(task);
        } catch (Throwable notAStep) { // a ClassCastException: another of its tasks (a delayed relay, a timeout)
            return null;
        }
    }

    /**
     * Whether a thread of such a task has completed the task's future and now runs what was chained on it (the
     * dependents {@code postComplete} runs, called by the task itself once its future is complete): the task's own work
     * is done. The outermost {@code postComplete} counts; one the task's own code called (completing another future) is
     * the task's work.
     */
    static boolean runsWhatWasChainedOnItsFuture(StackTraceElement[] stack) {
        for (int i = stack.length - 2; i >= 0; i--) {
            StackTraceElement frame = stack[i];
            if (frame.getMethodName().equals("postComplete") && frame.getClassName().equals("java.util.concurrent.CompletableFuture")) {
                StackTraceElement caller = stack[i + 1];
                String type = caller.getClassName();
                if (caller.getMethodName().equals("run") && (type.equals(SUPPLY) || type.equals(RUN))) {
                    return true;
                }
                // an async stage: Completion.run (or exec) -> its tryFire(ASYNC) -> postFire -> postComplete
                return caller.getMethodName().equals("postFire") && i + 3 < stack.length
                        && stack[i + 2].getMethodName().equals("tryFire")
                        && stack[i + 3].getClassName().equals(STEPS + "Completion");
            }
        }
        return false;
    }

    /**
     * The futures a step joins, or an empty array if it is no such step or cannot be read: the one it completes, then the
     * one it follows (a step chained on an exchange's future with {@code thenAcceptAsync} completes a future of its own).
     */
    static Object[] futuresOf(Object step) {
        MethodHandle dep = futureOfStep;
        MethodHandle src = sourceOfStep;
        if (dep == null || step == null) {
            return NONE;
        }
        try {
            return new Object[] {dep.invoke(step), src.invoke(step)};
        } catch (Throwable notAStep) { // a ClassCastException: another kind of task
            return NONE;
        }
    }

    /** The futures that the step a thread was started to run joins. */
    static Object[] futuresOfThread(Thread thread) {
        MethodHandle task = taskOfThread;
        if (task == null) {
            return NONE;
        }
        try {
            return futuresOf(task.invoke(thread));
        } catch (Throwable unreadable) {
            return NONE;
        }
    }

    /** Whether a step that joins {@code joins} may complete {@code future} (it joins it, or what it joins is not known). */
    static boolean mayComplete(Object[] joins, Object future) {
        if (joins.length == 0) {
            return true;
        }
        for (Object joined : joins) {
            if (joined == future) {
                return true;
            }
        }
        return false;
    }

    /** What a completed future failed with ({@code null} if it completed normally or is not complete). */
    static Throwable failureOf(java.util.concurrent.CompletableFuture<?> future) {
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        try {
            future.getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private static final Object[] NONE = {};
}
