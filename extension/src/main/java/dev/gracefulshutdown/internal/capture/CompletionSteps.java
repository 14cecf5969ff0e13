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

    private CompletionSteps() {
    }

    static void open(MethodHandle[] getters) {
        futureOfStep = getters[0];
        sourceOfStep = getters[1];
        taskOfThread = getters[2];
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

    private static final Object[] NONE = {};
}
