package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Defines the bridge class in {@code java.lang}. This class is loaded on its own, in an isolated class
 * loader, so that {@code java.lang} is opened to that loader's module only and never to the code under test.
 * It uses JDK types only.
 */
public final class BridgeDefiner {

    private BridgeDefiner() {
    }

    public static Class<?> define(byte[] classFile) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup()).defineClass(classFile);
    }

    /**
     * Getters for the work inside the JDK's wrappers, by the wrapper's class name, each as {@code (Object) -> Object}: a
     * {@code FutureTask}'s callable, the runnable in the {@code Executors.callable(...)} adapter, and the runnable
     * {@code CompletableFuture.runAsync} runs, {@code CompletableFuture.delayedExecutor} relays and JDK 25's common pool
     * schedules ({@code java.util.concurrent} is opened to this loader's module only). A wrapper this JDK does not have
     * is left out.
     */
    public static Map<String, MethodHandle> workGetters() throws ReflectiveOperationException {
        Map<String, MethodHandle> getters = new HashMap<>();
        getters.put(FutureTask.class.getName(), MethodHandles.privateLookupIn(FutureTask.class, MethodHandles.lookup())
                .findGetter(FutureTask.class, "callable", Callable.class).asType(MethodType.methodType(Object.class, Object.class)));
        getter(getters, "java.util.concurrent.Executors$RunnableAdapter", "task");
        getter(getters, "java.util.concurrent.CompletableFuture$TaskSubmitter", "action");
        getter(getters, "java.util.concurrent.CompletableFuture$AsyncRun", "fn");
        getter(getters, "java.util.concurrent.CompletableFuture$AsyncSupply", "fn", java.util.function.Supplier.class);
        getter(getters, "java.util.concurrent.DelayScheduler$ScheduledForkJoinTask", "runnable");
        return Map.copyOf(getters);
    }

    private static void getter(Map<String, MethodHandle> getters, String wrapper, String runnableField) {
        getter(getters, wrapper, runnableField, Runnable.class);
    }

    private static void getter(Map<String, MethodHandle> getters, String wrapper, String field, Class<?> fieldType) {
        try {
            Class<?> type = Class.forName(wrapper);
            getters.put(wrapper, MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findGetter(type, field, fieldType)
                    .asType(MethodType.methodType(Object.class, Object.class)));
        } catch (ReflectiveOperationException absent) {
            // not a wrapper of this JDK
        }
    }

    /**
     * Getters for what a {@code java.util.Timer} knows of its tasks ({@code java.util} is opened to this loader's module
     * only), each as {@code (Object) -> Object}: a task's state and period, a timer's thread, and whether that thread
     * still takes new tasks (false once the timer is cancelled or its thread died).
     */
    public static MethodHandle[] timerGetters() throws ReflectiveOperationException {
        Class<?> thread = Class.forName("java.util.TimerThread");
        MethodType generic = MethodType.methodType(Object.class, Object.class);
        MethodHandles.Lookup task = MethodHandles.privateLookupIn(TimerTask.class, MethodHandles.lookup());
        MethodHandles.Lookup timer = MethodHandles.privateLookupIn(Timer.class, MethodHandles.lookup());
        MethodHandles.Lookup timerThread = MethodHandles.privateLookupIn(thread, MethodHandles.lookup());
        return new MethodHandle[] {
            task.findGetter(TimerTask.class, "state", int.class).asType(generic),
            task.findGetter(TimerTask.class, "period", long.class).asType(generic),
            timer.findGetter(Timer.class, "thread", thread).asType(generic),
            timerThread.findGetter(thread, "newTasksMayBeScheduled", boolean.class).asType(generic)};
    }
    /**
     * Getters for the future a {@code CompletableFuture}'s async step completes ({@code UniCompletion.dep}: the step the
     * JDK's HttpClient hands to its async pool completes the future {@code sendAsync} returned), the future it follows
     * ({@code src}: an async stage chained on that future, {@code thenAcceptAsync}) and for the runnable a
     * thread was started with (the step, when the JDK starts a thread per step), then the future
     * {@code supplyAsync}'s and {@code runAsync}'s task completes ({@code AsyncSupply.dep}, {@code AsyncRun.dep}): each as
     * {@code (Object) -> Object}, the thread's and the async tasks' {@code null} when this JDK keeps them where they cannot
     * be read.
     */
    public static MethodHandle[] stepGetters() throws ReflectiveOperationException {
        MethodType generic = MethodType.methodType(Object.class, Object.class);
        Class<?> step = Class.forName("java.util.concurrent.CompletableFuture$UniCompletion");
        MethodHandles.Lookup steps = MethodHandles.privateLookupIn(step, MethodHandles.lookup());
        MethodHandle dep = steps.findGetter(step, "dep", java.util.concurrent.CompletableFuture.class).asType(generic);
        MethodHandle src = steps.findGetter(step, "src", java.util.concurrent.CompletableFuture.class).asType(generic);
        MethodHandles.Lookup thread = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
        MethodHandle task;
        try {
            task = thread.findGetter(Thread.class, "target", Runnable.class).asType(generic); // JDK 17
        } catch (NoSuchFieldException since21) {
            try {
                Class<?> holder = Class.forName("java.lang.Thread$FieldHolder");
                MethodHandle holderOf = thread.findGetter(Thread.class, "holder", holder);
                MethodHandle taskOf = MethodHandles.privateLookupIn(holder, MethodHandles.lookup())
                        .findGetter(holder, "task", Runnable.class);
                task = MethodHandles.filterReturnValue(holderOf, taskOf).asType(generic);
            } catch (ReflectiveOperationException elsewhere) {
                task = null;
            }
        }
        return new MethodHandle[] {dep, src, task, futureOf("java.util.concurrent.CompletableFuture$AsyncSupply"),
            futureOf("java.util.concurrent.CompletableFuture$AsyncRun")};
    }

    /** The getter of the future one of {@code CompletableFuture}'s async tasks completes, or {@code null} where this JDK has no such field. */
    private static MethodHandle futureOf(String asyncTask) {
        try {
            Class<?> type = Class.forName(asyncTask);
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findGetter(type, "dep", java.util.concurrent.CompletableFuture.class)
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException elsewhere) {
            return null; // the steps' getters above still serve the exchanges
        }
    }
}
