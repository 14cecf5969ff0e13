package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.internal.libraries.KnownLibraries;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Whether a library's own task object holds the user's code. A cache's cleanup after the user's {@code put}, a
 * connection pool's timer for the next connection it retires, a client's keep-alive check: the library submits an
 * object of its own class, on the user's call, that runs only the library's code; its loss is the library's business.
 * A task that wraps the user's work (Guava's {@code TrustedListenableFutureTask} around a callable, Spring's
 * {@code ScheduledMethodRunnable} around a bean's method, a reactive library's timer at the head of an operator
 * chain that ends in the user's function) holds the user's object or lambda in a field, or deeper in a field of a
 * field.
 *
 * <p>The walk follows what a library object was <em>handed</em>: fields declared as an interface, an abstract class
 * or {@code Object} (a {@code Runnable task}, an {@code Observer downstream}, a {@code Function mapper}), as deep as
 * {@value #DEPTH} objects, which is where an operator chain keeps the user's function (a library's lambda handed a lambda
 * is one wrapper and costs no depth: Failsafe's retry is six closures deep). A field declared as a concrete
 * class is the library's own state (a pool entry, the cache a cleanup runs for, a weak reference to it): what that
 * state holds (a cache's listener, its entries) is the library's configuration and the user's data, not work the task
 * carries, so it is not followed, though a user's object found in it directly still counts. A task's own JDK
 * container or piece of work (a list, a future, a callback) may hold the user's code inside, where it cannot be told:
 * it counts as the user's. What cannot be looked into (a named module that is not open) counts as holding the user's
 * code: the kit rather names a library's task than misses the user's.
 */
final class LibraryTasks {

    /** How many objects deep the walk goes from the task: a wrapper around a wrapper, an operator chain. */
    private static final int DEPTH = 6;
    /** How many objects one walk looks at: a library's object graph (a server's) is not searched whole. */
    private static final int BUDGET = 256;

    private LibraryTasks() {
    }

    /**
     * Whether the task is a known library's own object (or lambda) and holds no object or lambda of the user's code.
     */
    static boolean isLibrarysOwn(Object task) {
        if (task == null || !KnownLibraries.contains(task.getClass().getName())
                || task.getClass().isSynthetic() && !isLambda(task.getClass())) {
            return false;
        }
        if (task instanceof java.util.concurrent.FutureTask || task instanceof java.util.concurrent.CompletableFuture
                || task instanceof Thread) {
            return false; // the work is in the JDK's private fields, not opened to the kit (JdkWrappers): it cannot be told
        }
        try {
            return new Walk(false).find(task, DEPTH) == null;
        } catch (RuntimeException | LinkageError cannotLook) {
            return false;
        }
    }

    /**
     * The first object of the user's code (a lambda, an anonymous class, a {@code Runnable}, a {@code Callable}, a
     * function) that a known library's task carries, looked for as {@link #isLibrarysOwn} looks: the task as messages
     * name it (Reactor's {@code SchedulerTask} around the user's lambda). {@code null} if there is none to be found.
     */
    static Object usersCodeIn(Object task) {
        if (task == null || !KnownLibraries.contains(task.getClass().getName())) {
            return null;
        }
        try {
            return new Walk(true).find(task, DEPTH);
        } catch (RuntimeException | LinkageError cannotLook) {
            return null;
        }
    }

    /**
     * A library's task that schedules itself again each time it runs, one delay at a time: a trigger's or a cron
     * expression's next run (Spring's {@code ReschedulingRunnable}, behind {@code @Scheduled(cron = ...)} and every
     * {@code TaskScheduler.schedule(task, trigger)}; Guava's {@code AbstractScheduledService.CustomScheduler}). To the
     * executor it is a one-shot delayed task; to the application it is a periodic task, whose next run is not work
     * lost when the scheduler stops.
     */
    static boolean reschedulesItself(Object work) {
        return reschedulesItself(work, 3);
    }

    /** The work, or what a known library's wrapper around it holds (Guava's thread-renaming callable), that deep. */
    private static boolean reschedulesItself(Object work, int depth) {
        if (work == null) {
            return false;
        }
        for (Class<?> type = work.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            if (RESCHEDULING.contains(type.getName())) {
                return true;
            }
        }
        if (depth == 0 || !KnownLibraries.contains(work.getClass().getName())) {
            return false;
        }
        try {
            for (Field field : work.getClass().getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive() && handedOver(field.getType())
                        && field.trySetAccessible() && reschedulesItself(field.get(work), depth - 1)) {
                    return true;
                }
            }
        } catch (IllegalAccessException | RuntimeException | LinkageError cannotLook) {
            return false;
        }
        return false;
    }

    private static final java.util.Set<String> RESCHEDULING = java.util.Set.of(
            "org.springframework.scheduling.concurrent.ReschedulingRunnable",
            "com.google.common.util.concurrent.AbstractScheduledService$CustomScheduler$ReschedulableCallable");

    /** A lambda's class ({@code Foo$$Lambda$12/0x...} on JDK 17, {@code Foo$$Lambda/0x...} on 21 and later). */
    private static boolean isLambda(Class<?> type) {
        return type.getName().contains("$$Lambda");
    }

    /** The user's object that is code, to name a task by: a lambda, an anonymous class, a piece of work, a predicate. */
    private static boolean isCode(Object value) {
        Class<?> type = value.getClass();
        return isLambda(type) || type.isAnonymousClass() || isWork(value)
                || value instanceof java.util.function.Predicate;
    }

    /** What the walk cannot look into, or the task's own JDK container: counted as the user's code, naming nothing. */
    private static final Object UNSEEN = new Object();

    /**
     * One walk from one task: each object looked at once, within the budget. It stops at the first of the user's
     * objects it meets; looking for the task's name ({@code codeOnly}), at the first of the user's code, past the
     * user's data and past what it cannot look into.
     */
    private static final class Walk {
        private final java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private final boolean codeOnly;
        private int budget = BUDGET;

        Walk(boolean codeOnly) {
            this.codeOnly = codeOnly;
        }

        /** What the walk cannot tell: the user's code when judging, nothing to name a task by (naming goes past it). */
        private Object unseen() {
            return codeOnly ? null : UNSEEN;
        }

        /** The first of the user's objects in the holder's fields, {@link #UNSEEN}, or {@code null}. */
        Object find(Object holder, int depth) {
            if (!seen.add(holder) || --budget < 0) {
                return null;
            }
            for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                if (!KnownLibraries.contains(type.getName()) && !CallSites.isUserType(type.getName())) {
                    continue; // the JDK's own superclass (ForkJoinTask, AbstractQueuedSynchronizer): its fields are the JDK's
                }
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                        continue;
                    }
                    Object value;
                    try {
                        value = field.trySetAccessible() ? field.get(holder) : UNSEEN; // a named module not open to the kit
                    } catch (IllegalAccessException e) {
                        value = UNSEEN;
                    }
                    Object found = value == null || value == holder ? null : in(value, field.getType(), depth);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        }

        /**
         * The user's object a field's value is or holds: the user's object itself, the task's own JDK container or
         * wrapper ({@link #UNSEEN}), or what a library object it was handed holds. An array is looked at element by
         * element (an array of the library's buckets is its state, an array of handlers may hold the user's); an array
         * of primitives is data.
         */
        private Object in(Object value, Class<?> declared, int depth) {
            if (value == UNSEEN) {
                return unseen();
            }
            if (value instanceof Object[] elements) {
                Class<?> component = declared.isArray() ? declared.getComponentType() : Object.class;
                for (Object element : elements) {
                    if (--budget < 0) {
                        return null;
                    }
                    Object found = element == null ? null : in(element, component, depth);
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            }
            if (value.getClass().isArray()) {
                return null; // an int[], a byte[]: data, never code
            }
            if (JdkWrappers.isWrapper(value)) {
                Object inside = JdkWrappers.workOf(value); // Guava's task around Executors.callable(the user's runnable)
                if (inside != value) {
                    return in(inside, Object.class, depth);
                }
            }
            String valueType = value.getClass().getName();
            if (CallSites.isUserType(valueType)) {
                return codeOnly && !isCode(value) ? null : value; // naming: the user's data (an order) is not the task's code
            }
            if (depth == DEPTH && mayCarryWork(value) && !KnownLibraries.contains(valueType)) {
                return unseen(); // the task's own JDK container or wrapper: what it holds cannot be told from here
            }
            if (!handedOver(declared) && KnownLibraries.contains(valueType)) {
                Object invoked = invokedByReflection(value);
                if (invoked != null) {
                    return invoked; // Guava's event bus subscriber, holding the user's listener and its method
                }
            }
            if (codeOnly && handedOver(declared) && KnownLibraries.contains(valueType)) {
                java.lang.reflect.Method invoked = usersMethodIn(value);
                if (invoked != null) {
                    return invoked; // Spring's @Async: the interceptor's invocation of the bean's method
                }
            }
            // a field declared as a concrete class is the library's own state, not what it was handed to run; an
            // executor, a connection or a context is where work runs, not work: through it lies everything it serves.
            // A library's lambda handed a lambda is one wrapper, however many closures it is made of (Failsafe's retry:
            // six lambdas, each around the next, the last around the user's): it costs no depth
            boolean closure = isLambda(value.getClass());
            return handedOver(declared) && (closure || depth > 1) && KnownLibraries.contains(valueType)
                    && !PLUMBING.get(value.getClass()) ? find(value, closure ? depth : depth - 1) : null;
        }
    }

    /**
     * The user's object a library's object calls a method of by reflection (Guava's event bus {@code Subscriber}: a
     * listener and one of its {@code @Subscribe} methods), or the method itself when it is static: the user's code,
     * though the library built the object for itself. {@code null} when it holds no method of the user's classes.
     */
    private static Object invokedByReflection(Object holder) {
        java.lang.reflect.Method method = null;
        java.util.List<Object> values = new java.util.ArrayList<>();
        for (Class<?> type = holder.getClass(); type != null && KnownLibraries.contains(type.getName()); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive() || !field.trySetAccessible()) {
                    continue;
                }
                Object value;
                try {
                    value = field.get(holder);
                } catch (IllegalAccessException e) {
                    continue;
                }
                if (value instanceof java.lang.reflect.Method reflected && CallSites.isUserType(reflected.getDeclaringClass().getName())) {
                    method = reflected;
                } else if (value != null) {
                    values.add(value);
                }
            }
        }
        if (method == null) {
            return null;
        }
        for (Object value : values) {
            if (method.getDeclaringClass().isInstance(value)) {
                return value;
            }
        }
        return method;
    }

    /**
     * The user's method a library's object was handed to invoke (Spring's {@code ReflectiveMethodInvocation} behind an
     * {@code @Async} method, a scheduled method's runnable): what names the task best. {@code null} if it holds none.
     */
    private static java.lang.reflect.Method usersMethodIn(Object holder) {
        for (Class<?> type = holder.getClass(); type != null && KnownLibraries.contains(type.getName()); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType() != java.lang.reflect.Method.class
                        || !field.trySetAccessible()) {
                    continue;
                }
                try {
                    if (field.get(holder) instanceof java.lang.reflect.Method method
                            && CallSites.isUserType(method.getDeclaringClass().getName())) {
                        return method;
                    }
                } catch (IllegalAccessException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Where work runs rather than work: an executor (an event loop, a Vert.x context), and a connection with its
     * pipeline and handler contexts. A library's timer holding one (Netty's idle check holds its channel's context)
     * would otherwise reach, through it, every handler of the pipeline and every task of the loop, the user's among them.
     */
    private static final java.util.Set<String> PLUMBING_TYPES = java.util.Set.of("io.netty.channel.ChannelHandlerContext",
            "io.netty.channel.Channel", "io.netty.channel.ChannelPipeline", "io.vertx.core.Vertx", "io.vertx.core.Context");

    private static final ClassValue<Boolean> PLUMBING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return java.util.concurrent.Executor.class.isAssignableFrom(type) || implementsAny(type);
        }

        private boolean implementsAny(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (PLUMBING_TYPES.contains(c.getName())) {
                    return true;
                }
                for (Class<?> implemented : c.getInterfaces()) {
                    if (implementsAny(implemented)) {
                        return true;
                    }
                }
            }
            return false;
        }
    };

    /** A field declared as an interface, an abstract class, {@code Object} or an array of those: what is handed over. */
    private static boolean handedOver(Class<?> declared) {
        Class<?> type = declared.isArray() ? declared.getComponentType() : declared;
        return type == Object.class || type.isInterface() || Modifier.isAbstract(type.getModifiers()) && !type.isPrimitive();
    }

    /**
     * A container or a piece of work of the JDK's (a list of tasks, a future task, a callback) may hold the user's code.
     * A {@code CompletableFuture} is a result, not work: a library's timer that only completes one (Resilience4j's
     * time limiter failing a call that overran) runs none of the user's code, as the JDK's own {@code orTimeout} does not.
     */
    private static boolean mayCarryWork(Object value) {
        return value instanceof java.util.Collection || value instanceof java.util.Map || value instanceof Object[]
                || value instanceof java.util.concurrent.Future && !(value instanceof java.util.concurrent.CompletableFuture)
                || isWork(value);
    }

    /** A piece of work or a callback: a {@code Runnable}, a {@code Callable}, a function, a consumer, a supplier. */
    private static boolean isWork(Object value) {
        return value instanceof Runnable || value instanceof java.util.concurrent.Callable
                || value instanceof java.util.function.Function
                || value instanceof java.util.function.Consumer || value instanceof java.util.function.Supplier
                || value instanceof java.util.function.BiFunction || value instanceof java.util.function.BiConsumer;
    }
}
