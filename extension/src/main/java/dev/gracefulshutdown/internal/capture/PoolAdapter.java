package dev.gracefulshutdown.internal.capture;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * What a server's or framework's own pool calls a task, told to the kit in that pool's words: where a task is
 * submitted, the method that runs one, where the pool is created and shut down. With an adapter the pool's work is
 * judged task by task (queued at the halt, interrupted, cut off, with its submission site); without one, thread by
 * thread ({@link ThreadActivity}). Adding a pool is one small file and one line in {@link #ALL}: see CONTRIBUTING.
 */
interface PoolAdapter {

    /** Every adapter, applied in this order. */
    List<PoolAdapter> ALL = List.of(new TomcatExecutorAdapter(), new JettyThreadPoolAdapter(),
            new NettyEventExecutorAdapter(), new NettyTimerAdapter(), new QuartzJobAdapter(), new JBossThreadsAdapter());

    /** The library, as users call it ("Tomcat"). */
    String library();

    /** The pool's class: executors of this class or a subclass of it are this library's. */
    String poolClass();

    /**
     * Every class {@link #instrument} names, the pool's class among them. The kit looks for these names as classes
     * load, and weaves them (Byte Buddy) only when one of them does.
     */
    List<String> instrumentedClasses();

    /** The library whose adapter owns this executor, or {@code null} (the JDK's, or one no adapter knows). */
    static String libraryOf(Object executor) {
        PoolAdapter adapter = adapterOf(executor);
        return adapter == null ? null : adapter.library();
    }

    /** The adapter that owns this executor, or {@code null}. */
    private static PoolAdapter adapterOf(Object executor) {
        for (Class<?> type = executor.getClass(); type != null; type = type.getSuperclass()) {
            for (PoolAdapter adapter : ALL) {
                if (adapter.poolClass().equals(type.getName())) {
                    return adapter;
                }
            }
        }
        return null;
    }

    /** What users call one of this pool's tasks, or {@code null} for the task's class name. */
    default String describe(Object task) throws ReflectiveOperationException {
        return null;
    }

    /** Whether a task of this pool that the library submits itself carries the user's work (a request, a job). */
    default boolean carriesUsersWork(Object task) {
        return false;
    }

    /**
     * Whether a task that just returned from the pool's "runs one task" method only went back to wait for its time (a
     * scheduled task handed over before it was due, or one that repeats): it has not run yet, or will run again.
     */
    default boolean backToWait(Object task) {
        return false;
    }

    /** For a task this pool schedules: whether it repeats; {@code null} for any other task. */
    default Boolean periodic(Object task) {
        return null;
    }

    /**
     * The public method without arguments that stops one of this adapter's pools at once, for the kit's cleanup of a
     * pool a test left running where {@code shutdownNow()} cannot (the pool is no {@code ExecutorService}); {@code null}
     * if there is none.
     */
    default String stopMethod() {
        return null;
    }

    /** Whether an adapter stops this pool for the kit's cleanup ({@link #stopMethod}). */
    static boolean stopsLeftovers(Object pool) {
        PoolAdapter adapter = adapterOf(pool);
        return adapter != null && adapter.stopMethod() != null;
    }

    /** Stops a leftover pool with its adapter's {@link #stopMethod}. */
    static void stopLeftover(Object pool) {
        PoolAdapter adapter = adapterOf(pool);
        try {
            if (adapter != null && adapter.stopMethod() != null) {
                pool.getClass().getMethod(adapter.stopMethod()).invoke(pool);
            }
        } catch (ReflectiveOperationException | LinkageError unreadable) {
            // the library changed: its threads say what is left
        }
    }

    /** Whether any adapter says the task went back to wait for its time. */
    static boolean anyBackToWait(Object task) {
        for (PoolAdapter adapter : ALL) {
            try {
                if (adapter.backToWait(task)) {
                    return true;
                }
            } catch (RuntimeException | LinkageError unreadable) {
                // the library changed: the task counts as ended
            }
        }
        return false;
    }

    /** Whether an adapter's scheduled task repeats ({@code null}: no adapter schedules it). */
    static Boolean periodicTask(Object task) {
        for (PoolAdapter adapter : ALL) {
            Boolean periodic = adapter.periodic(task);
            if (periodic != null) {
                return periodic;
            }
        }
        return null;
    }

    /** Whether any adapter says the task carries the user's work. */
    static boolean anyCarriesUsersWork(Object task) {
        for (PoolAdapter adapter : ALL) {
            if (adapter.carriesUsersWork(task)) {
                return true;
            }
        }
        return false;
    }

    /** The first adapter's description of a task, or {@code null}. */
    static String describeTask(Object task) {
        for (PoolAdapter adapter : ALL) {
            try {
                String description = adapter.describe(task);
                if (description != null) {
                    return description;
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
                // the library changed: its class name will do
            }
        }
        return null;
    }

    /**
     * Adds this pool's classes to the agent: each matched method reports through one of the generic advices
     * ({@link Advices.ExecutorCreated}, {@link Advices.TaskSubmitted}, {@link Advices.RunsTaskArgument},
     * {@link Advices.RunsItself}, {@link Advices.ExecutorShutdown}, {@link Advices.ExecutorShutdownNow}).
     */
    Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice);
}
