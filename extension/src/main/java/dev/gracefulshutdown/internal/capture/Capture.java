package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedThread;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scope registry: attributes every thread, executor, task and hook to the test whose threads created it,
 * and keeps what happens to them. Attribution follows creation: a thread belongs to the scope of the thread
 * that started it, a pool worker to the scope that created its pool, a task to the scope that submitted it;
 * a thread running a task belongs to the task's scope while it runs it. So tests running in parallel each
 * see only their own. The events that fill it are handled by {@link ThreadEvents}, {@link TaskEvents} and
 * {@link HookEvents}, which {@link Dispatcher} calls.
 */
public final class Capture {

    static final Map<Thread, LiveThread> THREADS = new ConcurrentHashMap<>();
    static final Map<Thread, Scope> MAIN_THREADS = new ConcurrentHashMap<>();
    static final Map<Identity, LiveExecutor> EXECUTORS = new ConcurrentHashMap<>();
    /**
     * Tasks and exchanges, by the task, or by what ends or tells the exchange (its future, its listener; a Reactor Netty
     * exchange by its handler, the sink of each attempt and the operations of each connection).
     */
    static final Map<Identity, LiveTask> TASKS = new ConcurrentHashMap<>();
    /**
     * The JDK's own steps (fork-join tasks on the common pool) that complete an HTTP exchange's future, running the
     * stages the application chained on it, by the step: kept from their submission to their end (or, if they end
     * before the call that sent their exchange returns, to that return).
     */
    static final Map<Identity, ExchangeStep> EXCHANGE_STEPS = new ConcurrentHashMap<>();
    static final Map<Thread, LiveTask> RUNNING = new ConcurrentHashMap<>();
    static final Map<Thread, Object> FIRST_TASKS = new ConcurrentHashMap<>();
    /**
     * Threads of closed scopes: an exit from one of them must still never reach the real JVM, and those still working
     * for a later test (a library's JVM-wide pool) are found here ({@link SharedThreads}).
     */
    static final Map<Thread, Retired> RETIRED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final java.util.Set<Scope> OPEN_SCOPES = ConcurrentHashMap.newKeySet();

    /** What is kept of a thread once its scope closed: whose it was and where it was started. */
    record Retired(String test, CallSite site, String createdBy) {
    }
    /** The pools creating workers on this thread, innermost first: a thread started in that span is their worker. */
    static final ThreadLocal<ArrayDeque<Object>> CREATING_WORKERS_FOR = ThreadLocal.withInitial(ArrayDeque::new);

    private Capture() {
    }

    /** The bridge's {@code capturing} flag, read by the inlined advice before anything else; {@code null} before install. */
    private static volatile java.lang.reflect.Field gate;

    /** Opens the scope of one test; {@code main} is the thread that runs it. */
    public static Scope open(String name, Thread main) {
        AgentInstaller.ensureInstalled();
        Scope scope = new Scope(name, main);
        scope.enclosing = MAIN_THREADS.put(main, scope); // a class's lifetime around a test's (the suite guard)
        OPEN_SCOPES.add(scope);
        OPEN.incrementAndGet();
        updateGate();
        return scope;
    }

    static void connectGate(java.lang.reflect.Field capturing) {
        gate = capturing;
        updateGate();
    }

    /**
     * Tells the inlined advice whether anything is being captured: a scope is open, or this JVM really shuts down
     * (forked child, container), where the JVM's own shutdown and hook threads are watched. Under a lock, after the
     * count changed: whoever updates last has seen every open and close before it, so the flag is never left off
     * while a scope is open.
     */
    static synchronized void updateGate() {
        setGate(OPEN.get() > 0 || RealShutdown.active());
    }

    /** Sets the flag as it is (the self-check's probe turns it on for a moment, then calls {@link #updateGate}). */
    static synchronized void setGate(boolean capturing) {
        java.lang.reflect.Field field = gate;
        if (field == null) {
            return;
        }
        try {
            field.setBoolean(null, capturing);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible); // a public static field of a public class of java.lang
        }
    }

    static void registerMain(Thread thread, Scope scope) {
        MAIN_THREADS.put(thread, scope);
    }

    /** Forgets everything of a scope; its threads can no longer create anything that is attributed. */
    public static void close(Scope scope) {
        if (scope.phase() == Scope.Phase.CLOSED) {
            return;
        }
        scope.markClosed();
        for (Thread main : scope.mainThreads) { // the enclosing lifetime, still open, has its main thread back
            Scope enclosing = scope.enclosing;
            if (enclosing != null && enclosing.phase() != Scope.Phase.CLOSED && enclosing.isMainThread(main)) {
                MAIN_THREADS.replace(main, scope, enclosing);
            }
        }
        MAIN_THREADS.values().removeIf(s -> s == scope);
        for (LiveThread thread : scope.threads) {
            THREADS.remove(thread.thread, thread);
            RUNNING.remove(thread.thread);
            FIRST_TASKS.remove(thread.thread);
            RETIRED.put(thread.thread, new Retired(scope.name, thread.site, thread.createdBy));
        }
        EXECUTORS.values().removeIf(e -> e.scope == scope);
        TASKS.values().removeIf(t -> t.scope == scope);
        EXCHANGE_STEPS.values().removeIf(t -> t.scope == scope);
        SharedThreads.closed(scope, RUNNING.values());
        RUNNING.values().removeIf(t -> t.scope == scope);
        OPEN_SCOPES.remove(scope);
        OPEN.decrementAndGet();
        updateGate();
    }

    private static final ThreadLocal<Boolean> AS_THE_TEST_JVM = new ThreadLocal<>();

    /**
     * Runs {@code action} as the test JVM's own, attributed to no application: what it creates (a framework's
     * once-per-JVM shutdown hook) is installed for real, even when a test's lifetime is open on this thread.
     */
    public static void asTheTestJvm(Runnable action) {
        Boolean before = AS_THE_TEST_JVM.get();
        AS_THE_TEST_JVM.set(Boolean.TRUE);
        try {
            action.run();
        } finally {
            if (before == null) {
                AS_THE_TEST_JVM.remove();
            }
        }
    }

    /** The scope of the calling thread, or {@code null}. */
    public static Scope currentScope() {
        if (AS_THE_TEST_JVM.get() != null) {
            return null;
        }
        Thread thread = Thread.currentThread();
        Scope scope = MAIN_THREADS.get(thread);
        if (scope != null) {
            return scope;
        }
        LiveThread live = THREADS.get(thread);
        if (live != null) {
            return live.scope;
        }
        LiveTask task = RUNNING.get(thread);
        return task == null ? null : task.scope;
    }

    /** The only application open in this JVM (the innermost of the open scopes, when all others enclose it), or {@code null}. */
    static Scope theOnlyApplication() {
        for (Scope open : OPEN_SCOPES) {
            if (alone(open)) {
                return open;
            }
        }
        return null;
    }

    /**
     * Whether the scope is the only application open in this JVM: every other open scope encloses it (its class's
     * lifetime). Tests running in parallel are not alone.
     */
    static boolean alone(Scope scope) {
        for (Scope open : OPEN_SCOPES) {
            boolean enclosing = false;
            for (Scope outer = scope.enclosing; outer != null && !enclosing; outer = outer.enclosing) {
                enclosing = outer == open;
            }
            if (open != scope && !enclosing) {
                return false;
            }
        }
        return true;
    }

    /** Whether no scope is open: then the events have nothing to attribute. */
    static boolean idle() {
        return OPEN.get() == 0;
    }

    /**
     * Registers the thread that runs an application's {@code main} (started by the kit, on the test's behalf):
     * it is the application's own, non-daemon like the JVM's {@code main}.
     */
    public static void adoptApplicationMain(Scope scope, Thread main, Class<?> mainClass) {
        CallSite site = new CallSite(List.of(new StackTraceElement(mainClass.getName(), "main", null, -1)));
        register(new LiveThread(main, scope, CapturedThread.Role.APPLICATION, null, Thread.currentThread().getName(),
                site, false));
    }

    static void register(LiveThread live) {
        if (THREADS.putIfAbsent(live.thread, live) == null) {
            live.scope.threads.add(live);
            live.scope.point(Scope.PointKind.THREAD_STARTED, null, live.thread.getName(), live.site);
        }
    }

    /** The task each thread runs at this moment, whatever its scope (read-only). */
    static Map<Thread, LiveTask> runningTasks() {
        return Collections.unmodifiableMap(RUNNING);
    }

    /** Identity key: tasks and executors may override {@code equals}, the kit must not care. */
    record Identity(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity && ((Identity) other).value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }
}
