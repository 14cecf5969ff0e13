package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.internal.libraries.KnownLibraries;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Whether a library's own task object holds the user's code. A cache's cleanup after the user's {@code put}, a
 * client's keep-alive check: the library submits an object of its own class, on the user's call, that runs only
 * the library's code; its loss is the library's business. A task that wraps the user's work (Guava's
 * {@code TrustedListenableFutureTask} around a callable, Spring's {@code ScheduledMethodRunnable} around a bean's
 * method, Reactor's scheduler tasks) holds the user's object or lambda in a field, or in a field of a field; a
 * task that holds a JDK container or piece of work (a list, a future, a callback) may hold it inside. What the
 * library's objects behind the task hold in their containers (the cache's entries) is the user's data, not work.
 * What cannot be looked into (a named module that is not open) counts as holding the user's code: the kit rather
 * names a library's task than misses the user's.
 */
final class LibraryTasks {

    /** Fields of the task, and the fields of what they hold: deep enough for a wrapper around a wrapper. */
    private static final int DEPTH = 2;

    private LibraryTasks() {
    }

    /**
     * Whether the task is a known library's own object (or lambda) and holds no object or lambda of the user's code.
     */
    static boolean isLibrarysOwn(Object task) {
        if (task == null || !KnownLibraries.contains(task.getClass().getName())
                || task.getClass().isSynthetic() && !task.getClass().getName().contains("$$Lambda")) {
            return false;
        }
        if (task instanceof java.util.concurrent.FutureTask || task instanceof java.util.concurrent.CompletableFuture
                || task instanceof Thread) {
            return false; // the work is in the JDK's private fields, not opened to the kit (JdkWrappers): it cannot be told
        }
        try {
            return !holdsUserCode(task, DEPTH);
        } catch (RuntimeException | LinkageError cannotLook) {
            return false;
        }
    }

    private static boolean holdsUserCode(Object holder, int depth) {
        for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            if (!KnownLibraries.contains(type.getName()) && !CallSites.isUserType(type.getName())) {
                continue; // the JDK's own superclass (ForkJoinTask, AbstractQueuedSynchronizer): its fields are the JDK's
            }
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                field.setAccessible(true); // throws InaccessibleObjectException (a RuntimeException) where it may not
                Object value;
                try {
                    value = field.get(holder);
                } catch (IllegalAccessException e) {
                    return true;
                }
                if (value instanceof Reference) {
                    value = ((Reference<?>) value).get(); // a cache's weak reference to itself
                }
                if (value == null || value == holder) {
                    continue;
                }
                String valueType = value.getClass().getName();
                if (CallSites.isUserType(valueType)) {
                    return true;
                }
                if (depth > 1 && KnownLibraries.contains(valueType) && holdsUserCode(value, depth - 1)) {
                    return true;
                }
                if (depth == DEPTH && mayCarryWork(value) && !KnownLibraries.contains(valueType)) {
                    return true; // the task's own JDK container or wrapper: what it holds cannot be told from here
                }
            }
        }
        return false;
    }

    /** A container or a piece of work of the JDK's (a list of tasks, a future, a callback) may hold the user's code. */
    private static boolean mayCarryWork(Object value) {
        return value instanceof java.util.Collection || value instanceof java.util.Map || value instanceof Object[]
                || value instanceof Runnable || value instanceof java.util.concurrent.Callable
                || value instanceof java.util.concurrent.Future || value instanceof java.util.function.Function
                || value instanceof java.util.function.Consumer || value instanceof java.util.function.Supplier
                || value instanceof java.util.function.BiFunction || value instanceof java.util.function.BiConsumer;
    }
}
