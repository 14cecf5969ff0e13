package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedThread;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scope registry: attributes every thread, executor, task and hook to the test whose threads created it,
 * and keeps what happens to them. Attribution follows creation: a thread belongs to the scope of the thread
 * that started it, a pool worker to the scope that created its pool, a task to the scope that submitted it;
 * a thread running a task belongs to the task's scope while it runs it. So tests running in parallel each
 * see only their own.
 */
public final class Capture {

    static final Map<Thread, LiveThread> THREADS = new ConcurrentHashMap<>();
    static final Map<Thread, Scope> MAIN_THREADS = new ConcurrentHashMap<>();
    static final Map<Identity, LiveExecutor> EXECUTORS = new ConcurrentHashMap<>();
    static final Map<Identity, LiveTask> TASKS = new ConcurrentHashMap<>();
    static final Map<Thread, LiveTask> RUNNING = new ConcurrentHashMap<>();
    static final Map<Thread, Object> FIRST_TASKS = new ConcurrentHashMap<>();
    /** Threads of closed scopes: an exit from one of them must still never reach the real JVM. */
    static final Map<Thread, String> RETIRED = Collections.synchronizedMap(new WeakHashMap<>());
    /** Threads whose daemon flag was set explicitly before they started. */
    private static final Map<Thread, Boolean> EXPLICIT_DAEMON = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final ThreadLocal<ArrayDeque<Object>> CREATING_WORKERS_FOR = ThreadLocal.withInitial(ArrayDeque::new);
    private static final ThreadLocal<Object> IN_SHUTDOWN_NOW = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> INTERRUPTING_IDLE_WORKERS = new ThreadLocal<>();
    private static final String CF_THREAD_PER_TASK = "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor";
    private static final String THREAD_PER_TASK = "java.util.concurrent.ThreadPerTaskExecutor";
    private static final String STPE = "java.util.concurrent.ScheduledThreadPoolExecutor";
    /** Work given to {@code CompletableFuture.delayedExecutor}: its JDK 17 delayer, or JDK 25's ForkJoinPool scheduling. */
    private static final String CF_DELAYER = "java.util.concurrent.CompletableFuture$DelayedExecutor";
    private static final String FJ_SCHEDULED = "java.util.concurrent.DelayScheduler$ScheduledForkJoinTask";
    private static final String CF_TASK_SUBMITTER = "java.util.concurrent.CompletableFuture$TaskSubmitter";
    /** The oldest queued task when a DiscardOldestPolicy is about to throw it away. */
    private static final ThreadLocal<Object> OLDEST_QUEUED = new ThreadLocal<>();

    private Capture() {
    }

    /** The bridge's {@code capturing} flag, read by the inlined advice before anything else; {@code null} before install. */
    private static volatile java.lang.reflect.Field gate;

    /** Opens the scope of one test; {@code main} is the thread that runs it. */
    public static Scope open(String name, Thread main) {
        AgentInstaller.ensureInstalled();
        Scope scope = new Scope(name, main);
        scope.enclosing = MAIN_THREADS.put(main, scope); // a class's lifetime around a test's (the suite guard)
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
            RETIRED.put(thread.thread, scope.name);
        }
        EXECUTORS.values().removeIf(e -> e.scope == scope);
        TASKS.values().removeIf(t -> t.scope == scope);
        RUNNING.values().removeIf(t -> t.scope == scope);
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

    private static boolean idle() {
        return OPEN.get() == 0;
    }

    // ---- threads ------------------------------------------------------------------------------------------

    static void threadStarting(Thread thread) {
        if (idle() || THREADS.containsKey(thread)) {
            return;
        }
        Object poolCreatingIt = CREATING_WORKERS_FOR.get().peek();
        LiveExecutor executor = null;
        Scope scope;
        CapturedThread.Role role = CapturedThread.Role.APPLICATION;
        CallSites.Captured site = CallSites.capture();
        if (poolCreatingIt != null) {
            executor = EXECUTORS.get(new Identity(poolCreatingIt));
            if (executor == null) {
                return; // a worker of a pool the application did not create: a shared pool, a tool's pool
            }
            scope = executor.scope;
            role = CapturedThread.Role.POOL_WORKER;
        } else if (handsOnDelayedTask(site)) {
            LiveTask delayed = RUNNING.get(Thread.currentThread()); // CompletableFuture's delayer starts a thread per task
            register(new LiveThread(thread, delayed.scope, CapturedThread.Role.TASK_THREAD, null,
                    Thread.currentThread().getName(), delayed.site, daemonInApplication(thread, delayed.scope)));
            return;
        } else {
            scope = currentScope();
            if (scope == null && RealShutdown.active() && RealShutdown.scope() != null
                    && RealShutdown.scope().hookOf(thread) != null) {
                scope = RealShutdown.scope(); // the real JVM starts the application's hook
                scope.markHookThread(thread);
                scope.hookOf(thread).started();
            }
            if (scope == null) {
                return;
            }
            LiveHook hook = scope.isHookThread(thread) ? scope.hookOf(thread) : null;
            if (hook != null) { // started by the simulated shutdown: it is the application's hook all the same
                register(new LiveThread(thread, scope, CapturedThread.Role.HOOK, null, Thread.currentThread().getName(),
                        hook.site, daemonInApplication(thread, scope)));
                return;
            }
            if (site.origin() != CallSites.Origin.APPLICATION) {
                return;
            }
            if (site.passesThrough(CF_THREAD_PER_TASK) || site.passesThrough(THREAD_PER_TASK)) {
                role = CapturedThread.Role.TASK_THREAD;
            } else if (CallSites.innermostIsLibrary(site.site())) {
                role = CapturedThread.Role.FRAMEWORK_WORKER; // a server's request thread, an event loop
            }
        }
        register(new LiveThread(thread, scope, role, executor, Thread.currentThread().getName(), site.site(),
                daemonInApplication(thread, scope)));
    }

    /** CompletableFuture's delayer hands a due task on: the work still belongs to whoever scheduled it. */
    private static boolean handsOnDelayedTask(CallSites.Captured site) {
        return site.origin() == CallSites.Origin.TOOL && site.site().frames().isEmpty()
                && RUNNING.get(Thread.currentThread()) != null && site.passesThrough(CF_TASK_SUBMITTER);
    }

    private static void register(LiveThread live) {
        if (THREADS.putIfAbsent(live.thread, live) == null) {
            live.scope.threads.add(live);
        }
    }

    static void daemonSetExplicitly(Thread thread) {
        if (!idle()) {
            EXPLICIT_DAEMON.put(thread, Boolean.TRUE);
        }
    }

    /** The daemon flag the thread has in the real application, where {@code main} is a non-daemon thread. */
    private static boolean daemonInApplication(Thread thread, Scope scope) {
        if (EXPLICIT_DAEMON.remove(thread) != null || Threads.isVirtual(thread)) {
            return thread.isDaemon();
        }
        Thread creator = Thread.currentThread();
        if (scope.isMainThread(creator)) {
            return false;
        }
        LiveThread parent = THREADS.get(creator);
        return parent != null ? parent.daemon : thread.isDaemon();
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

    static void threadStartFailed(Thread thread) {
        LiveThread live = THREADS.remove(thread);
        if (live != null) {
            live.scope.threads.remove(live);
        }
    }

    static void interruptingIdleWorkers(boolean inside) {
        if (inside) {
            INTERRUPTING_IDLE_WORKERS.set(Boolean.TRUE);
        } else {
            INTERRUPTING_IDLE_WORKERS.remove();
        }
    }

    static void interrupting(Thread target) {
        if (idle() || target == Thread.currentThread() || INTERRUPTING_IDLE_WORKERS.get() != null) {
            return; // a worker interrupted between two tasks (shutdown() does that) loses no work
        }
        LiveTask task = RUNNING.get(target);
        if (task == null) {
            interruptingThread(target);
            return;
        }
        if (IN_SHUTDOWN_NOW.get() != null || task.scope.isShuttingDownOrLater()) {
            if (task.interruptSite == null && task.scope.phase() != Scope.Phase.HALTED && !task.finishedItsOwnWork()
                    && (!task.inLibraryPool() || ThreadActivity.of(target.getState(), target.getStackTrace())
                            == CapturedThread.Activity.WORKING)) { // a server's idle loop is told to stop, not its work
                task.interruptSite = CallSites.capture().site();
            }
        }
    }

    /**
     * A thread that runs no task the kit tracks (a server's request thread, a hand-written pool's worker) is
     * interrupted during the shutdown: if it was doing the user's work, that work was interrupted.
     */
    private static void interruptingThread(Thread target) {
        LiveThread live = THREADS.get(target);
        if (live == null || live.interruptSite != null || live.scope.phase() != Scope.Phase.SHUTTING_DOWN
                || !judgedAsWork(live) || live.scope.isHookThread(target)) {
            return;
        }
        if (ThreadActivity.of(target.getState(), target.getStackTrace()) == CapturedThread.Activity.WORKING) {
            live.interruptSite = CallSites.capture().site();
        }
    }

    static boolean judgedAsWork(LiveThread live) {
        return live.role == CapturedThread.Role.FRAMEWORK_WORKER || live.role == CapturedThread.Role.APPLICATION && !live.daemon;
    }

    /**
     * The user's code caught an exception. During the shutdown, on a task the kit tracks, that is a failure the work
     * swallowed if the task then returns: it ends as if it had succeeded, and its work is lost. An
     * interruption is the interrupt's business ({@code INTERRUPTED_TASK}), a refused submission
     * {@code REJECTED_TASK}'s; reflection and number parsing are ordinary control flow.
     */
    static void caught(Throwable failure, String where) {
        if (idle() || failure == null || isOrdinaryControlFlow(failure)) {
            return;
        }
        Thread thread = Thread.currentThread();
        LiveTask task = RUNNING.get(thread);
        if (task != null) {
            if (task.caughtFailure == null && task.scope.phase() == Scope.Phase.SHUTTING_DOWN) {
                task.caughtAt = where;
                task.caughtFailure = failure;
            }
            return;
        }
        // On a thread that runs no tracked task there is no end of the work to see whether the failure left it: a
        // try-with-resources catches, closes and rethrows. Only a task that then returns has swallowed it.
    }

    private static boolean isOrdinaryControlFlow(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof java.nio.channels.ClosedByInterruptException
                    || cause.getClass() == java.io.InterruptedIOException.class || cause instanceof SimulatedHalt) {
                return true;
            }
        }
        return failure instanceof ReflectiveOperationException || failure instanceof NumberFormatException
                || failure instanceof java.util.concurrent.RejectedExecutionException; // REJECTED_TASK's business
    }

    /** Returns {@code true} to keep the JVM from printing the kit's own halt error as uncaught. */
    static boolean uncaught(Thread thread, Throwable error) {
        if (error instanceof SimulatedHalt) {
            return true;
        }
        if (idle()) {
            return false;
        }
        LiveThread live = THREADS.get(thread);
        if (live != null && live.role != CapturedThread.Role.HOOK && live.role != CapturedThread.Role.POOL_WORKER
                && live.diedWith == null && live.scope.phase() != Scope.Phase.HALTED) {
            live.diedWith = error; // a pool's task that threw is already its task's failure
            live.diedDuringShutdown = live.scope.isShuttingDownOrLater();
        }
        if (live != null) {
            live.uncaught = error; // the suite guard reports a thread that died of it
            LiveHook hook = live.scope.hookOf(thread);
            if (hook != null && live.role == CapturedThread.Role.HOOK) {
                hook.failure = error;
                if (RealShutdown.active()) {
                    RealShutdown.write("shutdown");
                }
            }
        }
        return false;
    }

    // ---- hooks, exit, halt -------------------------------------------------------------------------------

    static boolean addHook(Thread hook) {
        if (idle()) {
            return false;
        }
        Scope scope = currentScope();
        if (scope == null) {
            return false;
        }
        CallSites.Captured site = CallSites.capture();
        if (site.origin() != CallSites.Origin.APPLICATION || registeredByTheJdk(site)) {
            return false; // installed for real, as without the kit, and never run by the simulation
        }
        if (hook == null) {
            throw new NullPointerException();
        }
        boolean captured = scope.addHook(hook, site.site());
        return captured && !RealShutdown.active(); // a JVM that really shuts down (forked, container) installs it, and watches it
    }

    /**
     * A hook that the JDK registers for itself, lazily, from inside the code under test (JFR's "JFR Shutdown Hook"
     * when a test starts a {@code Recording}): JDK code other than the registration call itself stands between the
     * caller and {@code Runtime.addShutdownHook}.
     */
    private static boolean registeredByTheJdk(CallSites.Captured site) {
        for (StackTraceElement frame : site.jdkFrames()) {
            String type = frame.getClassName();
            if (!type.equals("java.lang.Runtime") && !type.equals("java.lang.ApplicationShutdownHooks")
                    && !type.startsWith("java.lang.reflect.") && !type.startsWith("jdk.internal.reflect.")
                    && !type.startsWith("java.lang.invoke.")) {
                return true;
            }
        }
        return false;
    }

    static Boolean removeHook(Thread hook) {
        if (idle()) {
            return null;
        }
        Scope scope = currentScope();
        if (scope == null) {
            return null;
        }
        Boolean removed = scope.removeHook(hook);
        return RealShutdown.active() ? null : removed;
    }

    /** A thread is about to end: in a JVM that really shuts down, that is how a hook is seen to complete. */
    static void threadExiting(Thread thread) {
        Scope scope = RealShutdown.active() ? RealShutdown.scope() : null;
        if (scope == null) {
            return;
        }
        LiveHook hook = scope.hookOf(thread);
        if (hook != null) {
            hook.ended();
        } else if (RealShutdown.recordsApplication() && scope.isMainThread(thread)) {
            RealShutdown.applicationMainReturned(); // the JVM's main returned: DestroyJavaVM waits for the others
        }
    }

    static void exitCalled(int status, boolean halt) {
        if (RealShutdown.active()) {
            Scope scope = RealShutdown.scope();
            LiveHook hook = scope == null ? null : scope.hookOf(Thread.currentThread());
            if (hook != null && !halt) {
                hook.calledExit = true;
                RealShutdown.write("shutdown");
            }
            return; // the real JVM exits, or deadlocks, as it would in production
        }
        String call = (halt ? "Runtime.halt(" : "System.exit(") + status + ")";
        Scope scope = idle() ? null : currentScope();
        if (scope == null) {
            String retiredFrom = RETIRED.get(Thread.currentThread());
            if (retiredFrom != null) {
                throw new SimulatedHalt(call + " from a thread left over by test '" + retiredFrom
                        + "' after its verdict: ignored, the test JVM keeps running");
            }
            return; // not code under test: the real exit goes ahead (e.g. the build tool ending the JVM)
        }
        scope.exitCalled(status, halt, call);
    }

    // ---- executors and tasks -----------------------------------------------------------------------------

    static void executorCreated(Object executor) {
        if (idle() || EXECUTORS.containsKey(new Identity(executor))) {
            return;
        }
        Scope scope = currentScope();
        if (scope == null) {
            return;
        }
        CallSites.Captured site = CallSites.capture();
        if (site.origin() != CallSites.Origin.APPLICATION) {
            return;
        }
        LiveExecutor live = new LiveExecutor(executor, scope, scope.nextExecutorId(executor), site.site());
        if (EXECUTORS.putIfAbsent(new Identity(executor), live) == null) {
            scope.executors.add(live);
        }
    }

    /** Always balanced, even while no scope is open: another test may open or close one in between. */
    static void creatingWorkers(Object executor, boolean enter) {
        ArrayDeque<Object> stack = CREATING_WORKERS_FOR.get();
        if (enter) {
            stack.push(executor);
        } else if (!stack.isEmpty()) {
            stack.pop();
        }
    }

    static void taskSubmitted(Object executor, Object task) {
        if (idle() || task == null) {
            return;
        }
        Scope scope = currentScope();
        if (scope == null || scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        LiveTask known = TASKS.get(new Identity(task));
        if (known != null && known.scope == scope && (known.state == LiveTask.State.QUEUED || known.state == LiveTask.State.REJECTED)) {
            known.state = LiveTask.State.QUEUED; // the same submission seen twice, or submitted again by DiscardOldestPolicy
            return;
        }
        CallSites.Captured site = CallSites.capture();
        CallSite submittedAt = site.site();
        LiveTask handingOn = RUNNING.get(Thread.currentThread());
        if (handingOn != null && handsOnDelayedTask(site)) {
            submittedAt = handingOn.site; // CompletableFuture's delayer hands a delayed task on when it is due
        } else if (site.origin() != CallSites.Origin.APPLICATION || site.passesThrough("java.lang.VirtualThread")) {
            return; // a tool's task, or a virtual thread's continuation
        }
        LiveExecutor live = EXECUTORS.get(new Identity(executor));
        boolean delayedExecutor = site.passesThrough(CF_DELAYER);
        if (task.getClass().getName().equals(FJ_SCHEDULED) && !delayedExecutor && !submittedDirectly(site) && live == null) {
            return; // JDK 25+: the JDK's own timers in the common pool (orTimeout, completeOnTimeout)
        }
        if (live == null && executor != ForkJoinPool.commonPool() && !submittedDirectly(site) && !delayedExecutor
                && submittedAt == site.site()) {
            return; // JDK machinery using its own executor (the process reaper)
        }
        String executorId = delayedExecutor ? "CompletableFuture.delayedExecutor(...)"
                : live != null ? live.id
                : executor == ForkJoinPool.commonPool() ? "ForkJoinPool.commonPool()"
                : executor.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(executor));
        boolean periodic = task instanceof RunnableScheduledFuture && ((RunnableScheduledFuture<?>) task).isPeriodic();
        boolean delayed = task instanceof RunnableScheduledFuture
                && ((RunnableScheduledFuture<?>) task).getDelay(java.util.concurrent.TimeUnit.NANOSECONDS) > 0;
        submittedAt = outsideOf(executor, submittedAt);
        LiveTask record = new LiveTask(task, scope, scope.nextTaskId(),
                delayedExecutor ? "delayed task of CompletableFuture.delayedExecutor" : describe(task), executorId,
                submittedAt, periodic, delayed, live);
        TASKS.put(new Identity(task), record);
        scope.tasks.add(record);
    }

    /** The submission site without the executor's own frames (a library pool's {@code execute} calling itself). */
    private static CallSite outsideOf(Object executor, CallSite site) {
        java.util.Set<String> own = new java.util.HashSet<>();
        for (Class<?> type = executor.getClass(); type != null; type = type.getSuperclass()) {
            own.add(type.getName());
        }
        int first = 0;
        while (first < site.frames().size() - 1 && own.contains(site.frames().get(first).getClassName())) {
            first++;
        }
        return first == 0 ? site : new CallSite(site.frames().subList(first, site.frames().size()));
    }

    /** Whether the application itself called the executor, with no other JDK code in between. */
    private static boolean submittedDirectly(CallSites.Captured site) {
        return site.jdkFrames().stream().map(StackTraceElement::getClassName).allMatch(type ->
                type.startsWith("java.util.concurrent.ThreadPoolExecutor")
                        || type.startsWith("java.util.concurrent.ScheduledThreadPoolExecutor")
                        || type.startsWith("java.util.concurrent.ForkJoinPool")
                        || type.startsWith("java.util.concurrent.AbstractExecutorService")
                        || type.startsWith("java.util.concurrent.Executors$"));
    }

    static void taskRejected(Object executor, Object task) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(task));
        if (record == null) {
            return;
        }
        record.state = LiveTask.State.REJECTED;
        record.rejectedBecauseShutDown = executor instanceof ExecutorService && ((ExecutorService) executor).isShutdown();
        if (executor instanceof ThreadPoolExecutor && !((ThreadPoolExecutor) executor).isShutdown()
                && ((ThreadPoolExecutor) executor).getRejectedExecutionHandler() instanceof ThreadPoolExecutor.DiscardOldestPolicy) {
            OLDEST_QUEUED.set(((ThreadPoolExecutor) executor).getQueue().peek());
        }
    }

    /**
     * The executor's rejection handler returned without throwing: it ran the task on the caller, queued it again,
     * or threw it away without telling anyone (and a {@code DiscardOldestPolicy} threw away the oldest queued task).
     */
    static void rejectionHandled(Object executor, Object task) {
        Object oldest = OLDEST_QUEUED.get();
        OLDEST_QUEUED.remove();
        if (idle() || !(executor instanceof ThreadPoolExecutor)) {
            return;
        }
        ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
        String handler = handlerName(pool.getRejectedExecutionHandler());
        LiveTask discardedOldest = oldest == null ? null : TASKS.get(new Identity(oldest));
        if (discardedOldest != null && discardedOldest.state == LiveTask.State.QUEUED && !pool.getQueue().contains(oldest)) {
            discard(discardedOldest, handler + " (to make room for a newer task)");
        }
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null || record.state != LiveTask.State.REJECTED) {
            return; // submitted again (DiscardOldestPolicy) and tracked from there
        }
        boolean ranOnCaller = pool.getRejectedExecutionHandler() instanceof ThreadPoolExecutor.CallerRunsPolicy && !pool.isShutdown()
                || task instanceof java.util.concurrent.Future && ((java.util.concurrent.Future<?>) task).isDone()
                        && !((java.util.concurrent.Future<?>) task).isCancelled();
        if (ranOnCaller) {
            record.thread = Thread.currentThread();
            finish(record, record.futureFailure);
        } else if (pool.getQueue().contains(task)) {
            record.state = LiveTask.State.QUEUED; // a handler that puts the task back (a blocking policy)
        } else {
            discard(record, handler);
        }
    }

    private static void discard(LiveTask record, String by) {
        if (record.scope.phase() != Scope.Phase.HALTED) {
            record.discardedBy = by;
            record.state = LiveTask.State.DISCARDED;
        }
    }

    private static String handlerName(Object handler) {
        Class<?> type = handler.getClass();
        String name = type.getEnclosingClass() != null && type.getName().startsWith("java.")
                ? type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName() : type.getName();
        if (handler instanceof ThreadPoolExecutor.CallerRunsPolicy) {
            return name + " after shutdown()";
        }
        return name;
    }

    static void workerCreated(Thread thread, Object firstTask) {
        if (!idle() && thread != null && TASKS.containsKey(new Identity(firstTask))) {
            FIRST_TASKS.put(thread, firstTask);
        }
    }

    static void workerRuns() {
        if (idle()) {
            return;
        }
        Object first = FIRST_TASKS.remove(Thread.currentThread());
        if (first != null) {
            taskStarts(first);
        }
    }

    static void taskStarts(Object task) {
        if (idle()) {
            return;
        }
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null || record.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        Thread thread = Thread.currentThread();
        record.thread = thread;
        record.state = LiveTask.State.RUNNING;
        RUNNING.put(thread, record);
    }

    static void taskEnds(Throwable thrown) {
        if (idle()) {
            return;
        }
        Thread thread = Thread.currentThread();
        LiveThread worker = THREADS.get(thread);
        if (worker != null) {
            worker.idleSinceNanos = System.nanoTime();
        }
        LiveTask record = RUNNING.remove(thread);
        if (record != null) {
            finish(record, thrown != null ? thrown : record.futureFailure);
        }
    }

    private static void finish(LiveTask record, Throwable failure) {
        if (record.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        record.endedDuringShutdown = record.scope.isShuttingDownOrLater();
        record.failure = failure;
        record.state = failure == null ? LiveTask.State.COMPLETED : LiveTask.State.FAILED;
    }

    static boolean forkJoinTaskStarts(Object task) {
        if (idle()) {
            return false;
        }
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null || record.scope.phase() == Scope.Phase.HALTED) {
            return false;
        }
        Thread thread = Thread.currentThread();
        record.thread = thread;
        record.state = LiveTask.State.RUNNING;
        record.outer = RUNNING.put(thread, record);
        return true;
    }

    static void forkJoinTaskEnds(Object task) {
        ForkJoinTask<?> forkJoinTask = (ForkJoinTask<?>) task;
        workEnds(task, forkJoinTask.isCompletedAbnormally() ? forkJoinTask.getException() : null);
    }

    /** A task that ran inside another one's run (a fork-join task, a pool adapter's) ended, with what it threw. */
    static void workEnds(Object task, Throwable thrown) {
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        if (record.outer != null) {
            RUNNING.put(thread, record.outer);
        } else {
            RUNNING.remove(thread, record);
        }
        finish(record, thrown != null ? thrown : record.futureFailure);
    }

    static void futureFailed(Object future, Throwable failure) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(future));
        if (record != null) {
            record.futureFailure = failure;
        }
    }

    /** A {@code CompletableFuture}'s async task ended: its own outcome is its future's. */
    static void asyncTaskDone(Object task, Object future) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(task));
        if (record == null || !(future instanceof java.util.concurrent.CompletableFuture)) {
            return;
        }
        java.util.concurrent.CompletableFuture<?> completion = (java.util.concurrent.CompletableFuture<?>) future;
        record.ownWorkDone = true; // what follows is the pool's bookkeeping (and Spring's afterExecute)
        if (completion.isCompletedExceptionally()) {
            try {
                completion.getNow(null);
            } catch (java.util.concurrent.CompletionException e) {
                record.futureFailure = e.getCause() == null ? e : e.getCause();
            } catch (java.util.concurrent.CancellationException e) {
                record.futureFailure = e;
            }
        }
    }

    static void futureCancelled(Object future) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(future));
        if (record != null && record.state == LiveTask.State.QUEUED) {
            record.state = LiveTask.State.CANCELLED;
            record.cancelledDuringShutdown = record.scope.isShuttingDownOrLater();
            record.cancelledByShutdownPolicy = CallSites.capture().jdkFrames().stream()
                    .anyMatch(f -> f.getClassName().equals(STPE) && f.getMethodName().equals("onShutdown"));
        }
    }

    static void executorShutdown(Object executor, boolean now) {
        if (idle()) {
            return;
        }
        if (now) {
            IN_SHUTDOWN_NOW.set(executor);
        }
        LiveExecutor live = EXECUTORS.get(new Identity(executor));
        if (live == null || live.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        if (now || live.shutdown == CapturedExecutor.ShutdownState.RUNNING) {
            live.shutdown = now ? CapturedExecutor.ShutdownState.SHUTDOWN_NOW : CapturedExecutor.ShutdownState.SHUTDOWN;
            live.shutdownSite = CallSites.capture().site();
        }
    }

    static void executorShutdownNowDone(List<?> drained) {
        IN_SHUTDOWN_NOW.remove();
        if (idle() || drained == null) {
            return;
        }
        for (Object task : drained) {
            LiveTask record = TASKS.get(new Identity(task));
            if (record != null) {
                record.drainedByShutdownNow = true;
            }
        }
    }

    /** The user's task inside the JDK's wrappers: FutureTask and RunnableAdapter say what they wrap in toString(). */
    private static String describe(Object task) {
        String byItsPool = PoolAdapter.describeTask(task);
        if (byItsPool != null) {
            return byItsPool;
        }
        String name = task.getClass().getName();
        if (task instanceof java.util.concurrent.Future) {
            java.util.regex.Matcher wrapped = WRAPPED.matcher(String.valueOf(task));
            while (wrapped.find()) {
                name = wrapped.group(1);
            }
        }
        int lambda = name.indexOf("$$Lambda");
        return lambda > 0 ? "lambda in " + name.substring(0, lambda) : name;
    }

    private static final java.util.regex.Pattern WRAPPED = java.util.regex.Pattern.compile("task = ([\\w.$]+)");

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
