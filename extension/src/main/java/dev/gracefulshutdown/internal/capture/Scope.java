package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One application lifetime (one test method): everything its threads created, attributed to it alone.
 * Created by {@link Capture#open}; lives until {@link Capture#close}.
 */
public final class Scope {

    /** Where the application is in its life. */
    public enum Phase { RUNNING, SHUTTING_DOWN, HALTED, CLOSED }

    /** What the simulation does when code under test calls {@code System.exit} or {@code Runtime.halt}. */
    public interface ExitHandler {
        /** Called on the thread that called exit (not a hook): runs the shutdown sequence, like the JVM. */
        void exitCalled(int status);

        /** Called on the thread that called halt: halts at once, without hooks. */
        void haltCalled(int status);
    }

    final String name;
    /** The lifetime this one opened inside, on the same thread (a class's, around its test's), or {@code null}. */
    volatile Scope enclosing;
    final Set<Thread> mainThreads = ConcurrentHashMap.newKeySet();
    final Queue<LiveThread> threads = new ConcurrentLinkedQueue<>();
    final Queue<LiveExecutor> executors = new ConcurrentLinkedQueue<>();
    final Queue<LiveTask> tasks = new ConcurrentLinkedQueue<>();
    private final Map<Thread, LiveHook> hooks = new LinkedHashMap<>();
    private final Set<Thread> hookThreads = ConcurrentHashMap.newKeySet();
    private final Set<Thread> callingExit = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.RUNNING);
    private final CountDownLatch halted = new CountDownLatch(1);
    private final AtomicInteger executorIds = new AtomicInteger();
    private final AtomicInteger taskIds = new AtomicInteger();
    private volatile ExitHandler exitHandler;
    private final java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
    private volatile long shutdownStartedNanos;
    private volatile long haltedNanos;
    private final AtomicReference<Throwable> captureFailure = new AtomicReference<>();
    /** Who listens for the points the application reaches (exploration); {@code null}, the usual case, costs one read. */
    private volatile PointListener points;
    /** When the application's lifetime began: the zero of every captured moment ({@code ...AtNanos}). */
    private final long openedNanos = System.nanoTime();

    Scope(String name, Thread main) {
        this.name = name;
        this.mainThreads.add(main);
    }

    public String name() {
        return name;
    }

    public Phase phase() {
        return phase.get();
    }

    public void onExit(ExitHandler handler) {
        this.exitHandler = handler;
    }

    /** The thread running the test method plays {@code main}; JUnit may run it on another thread than {@code @BeforeEach}. */
    public void adoptMainThread(Thread thread) {
        mainThreads.add(thread);
        Capture.registerMain(thread, this);
    }

    public boolean isMainThread(Thread thread) {
        return mainThreads.contains(thread);
    }

    // ---- the shutdown's milestones, driven by the simulation -------------------------------------------

    /** Starts the shutdown; {@code false} if it had already started. */
    public boolean beginShutdown() {
        if (phase.compareAndSet(Phase.RUNNING, Phase.SHUTTING_DOWN)) {
            shutdownStartedNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    public boolean isShuttingDownOrLater() {
        return phase.get() != Phase.RUNNING;
    }

    public long shutdownStartedNanos() {
        return shutdownStartedNanos;
    }

    /** The threads of earlier tests already in the user's code as this test began; {@code null} if not noted. */
    private volatile Set<Thread> sharedBusyAtOpen;

    /**
     * Notes which threads of earlier tests (a library's JVM-wide pool) are already in the user's code as the test
     * begins, so that those working for it at the halt can be told from them ({@link #adoptSharedThreadsWorkingForIt}).
     */
    public void noteSharedThreads() {
        sharedBusyAtOpen = SharedThreads.inUsersCode();
    }

    /**
     * At the halt: the threads of earlier tests now working on the user's code, which were not as the test began,
     * become this scope's workers (a shared pool running this test's request), when no other test runs beside it.
     */
    public void adoptSharedThreadsWorkingForIt() {
        Set<Thread> busyAtOpen = sharedBusyAtOpen;
        if (busyAtOpen != null) {
            SharedThreads.adoptWorking(this, busyAtOpen);
        }
    }

    /** When the simulated JVM halted ({@link System#nanoTime()}); 0 while it has not. */
    public long haltedNanos() {
        return haltedNanos;
    }

    /**
     * A {@code System.nanoTime()} reading as a captured moment: nanoseconds since this lifetime began, or
     * {@link CapturedThread#NOT_SEEN} for 0 (the kit's "not yet").
     */
    public long sinceOpened(long nanoTime) {
        return nanoTime == 0 ? CapturedThread.NOT_SEEN : Math.max(0, nanoTime - openedNanos);
    }

    /** The simulated halt: from now on, nothing the application does changes the verdict. */
    public void halt() {
        if (haltedNanos == 0 && phase.get() != Phase.HALTED && phase.get() != Phase.CLOSED) {
            haltedNanos = System.nanoTime();
        }
        phase.compareAndSet(Phase.SHUTTING_DOWN, Phase.HALTED);
        phase.compareAndSet(Phase.RUNNING, Phase.HALTED);
        halted.countDown();
    }

    void markClosed() {
        phase.set(Phase.CLOSED);
        halted.countDown();
    }

    // ---- points: what the application did that a SIGTERM could come right after (exploration) ---------------

    /** The kinds of point the kit sees. */
    public enum PointKind { TASK_SUBMITTED, TASK_STARTED, TASK_FINISHED, THREAD_STARTED, HOOK_REGISTERED, EXECUTOR_SHUT_DOWN }

    /** Told of every point reached while the application runs, on the thread that reached it. It must not block. */
    public interface PointListener {
        /**
         * @param kind what happened
         * @param id the task's or executor's id ({@code task#2}); {@code null} for threads and hooks
         * @param name the thread's or hook's name, the task's description
         * @param site where in the application's code it happened (submitted, started, registered, shut down)
         */
        void reached(PointKind kind, String id, String name, CallSite site);
    }

    public void listenForPoints(PointListener listener) {
        this.points = listener;
    }

    void point(PointKind kind, String id, String name, CallSite site) {
        PointListener listener = points;
        if (listener == null || phase.get() != Phase.RUNNING) {
            return;
        }
        try {
            listener.reached(kind, id, name, site);
        } catch (RuntimeException listenerFailed) {
            captureFailed(listenerFailed);
        }
    }

    /**
     * A thread that stands for the JVM's own signal handling (an explored {@code SIGTERM}): what it starts, the hooks,
     * is this application's, yet it is neither {@code main} nor judged.
     */
    public void adoptSignalThread(Thread thread) {
        Capture.registerMain(thread, this);
    }

    // ---- the kit's own failures ------------------------------------------------------------------------------

    /**
     * The kit failed to capture something of this application (an exception inside the capture, a snapshot that
     * could not be written): the verdict cannot be trusted. Only the first failure is kept.
     */
    public void captureFailed(Throwable failure) {
        if (failure != null) {
            captureFailure.compareAndSet(null, failure);
        }
    }

    /** The first failure of the capture, or {@code null} when the capture is complete. */
    public Throwable captureFailure() {
        return captureFailure.get();
    }

    // ---- hooks -----------------------------------------------------------------------------------------

    synchronized boolean addHook(Thread hook, CallSite site) {
        if (phase.get() != Phase.RUNNING) {
            throw new IllegalStateException("Shutdown in progress");
        }
        if (hook.isAlive()) {
            throw new IllegalArgumentException("Hook already running");
        }
        if (hooks.containsKey(hook)) {
            throw new IllegalArgumentException("Hook previously registered");
        }
        hooks.put(hook, new LiveHook(hook, site));
        point(PointKind.HOOK_REGISTERED, null, hook.getName(), site);
        return true;
    }

    synchronized Boolean removeHook(Thread hook) {
        if (phase.get() != Phase.RUNNING) {
            throw new IllegalStateException("Shutdown in progress");
        }
        return hooks.remove(hook) != null ? Boolean.TRUE : null;
    }

    /** The registered hooks, marked as hook threads so that their start is recorded as such. */
    public synchronized List<LiveHook> hooksToRun() {
        List<LiveHook> toRun = new ArrayList<>(hooks.values());
        toRun.forEach(hook -> hookThreads.add(hook.hook));
        return toRun;
    }

    public synchronized List<LiveHook> registeredHooks() {
        return new ArrayList<>(hooks.values());
    }

    void markHookThread(Thread thread) {
        hookThreads.add(thread);
    }

    boolean isHookThread(Thread thread) {
        return hookThreads.contains(thread);
    }

    synchronized LiveHook hookOf(Thread thread) {
        return hooks.get(thread);
    }

    // ---- exit and halt from code under test --------------------------------------------------------------

    /** Code under test called exit or halt: run or join the shutdown, then unwind the caller. */
    void exitCalled(int status, boolean halt, String call) {
        Thread caller = Thread.currentThread();
        callingExit.add(caller);
        LiveHook hook = hookOf(caller);
        if (hook != null && isHookThread(caller) && !halt) {
            hook.calledExit = true;
            dev.gracefulshutdown.internal.Uninterruptibly.await(halted);
            throw new SimulatedHalt(call + " in a shutdown hook: a real JVM deadlocks here, the kit halted instead");
        }
        ExitHandler handler = exitHandler;
        if (handler == null) {
            throw new SimulatedHalt(call + " intercepted: the test JVM keeps running");
        }
        if (halt) {
            handler.haltCalled(status);
        } else if (phase.get() == Phase.RUNNING) {
            handler.exitCalled(status);
        } else {
            dev.gracefulshutdown.internal.Uninterruptibly.await(halted);
        }
        throw new SimulatedHalt(call + " in code under test: the simulated JVM halted here; the test JVM keeps running");
    }

    // ---- what the application wrote -----------------------------------------------------------------------

    void appendOutput(byte[] bytes, int offset, int length) {
        synchronized (output) {
            output.write(bytes, offset, length);
        }
    }

    /** What the threads of this application wrote to {@code System.out} and {@code System.err}. */
    public String output() {
        synchronized (output) {
            return output.toString(java.nio.charset.Charset.defaultCharset());
        }
    }

    // ---- ids --------------------------------------------------------------------------------------------

    String nextExecutorId(Object executor) {
        return kindOf(executor) + "#" + executorIds.incrementAndGet();
    }

    /** What kind of executor it is, as messages name it: "ThreadPoolExecutor", "Jetty's QueuedThreadPool". */
    static String kindOf(Object executor) {
        Class<?> type = executor.getClass();
        while (type.isAnonymousClass() || type.getSimpleName().isEmpty()) {
            type = type.getSuperclass(); // Spring's "new ThreadPoolExecutor(...) { ... }" is a ThreadPoolExecutor
        }
        String library = PoolAdapter.libraryOf(executor);
        return (library == null ? "" : library + (library.endsWith("s") ? "' " : "'s ")) + type.getSimpleName();
    }

    String nextTaskId() {
        return "task#" + taskIds.incrementAndGet();
    }

    // ---- what the simulation and the judge read ----------------------------------------------------------

    public List<LiveThread> threads() {
        return List.copyOf(threads);
    }

    public List<LiveExecutor> executors() {
        return List.copyOf(executors);
    }

    public List<LiveTask> tasks() {
        return List.copyOf(tasks);
    }

    /**
     * The {@code java.util.Timer}s this scope's tasks were scheduled on whose thread this scope started, outside a
     * class's static initializer (a JVM-wide timer is left alone): the kit's cleanup cancels them, since their
     * threads ignore interrupts.
     */
    public List<java.util.Timer> timersStartedHere() {
        List<java.util.Timer> timers = new ArrayList<>();
        for (LiveTask task : tasks) {
            java.util.Timer timer = task.timer;
            if (timer == null || timers.contains(timer)) {
                continue;
            }
            for (LiveThread thread : threads) {
                if (thread.thread == task.timerThread && thread.site.frames().stream().noneMatch(f -> "<clinit>".equals(f.getMethodName()))) {
                    timers.add(timer);
                }
            }
        }
        return timers;
    }

    /** Whether every task has ended (completed, failed, cancelled, rejected or thrown away): none queued or running. */
    public boolean everyTaskEnded() {
        for (LiveTask task : tasks) {
            if (task.state == LiveTask.State.QUEUED || task.state == LiveTask.State.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits, at most the given time, for the tasks whose worker is on its way out because they threw to hand the kit
     * their exception ({@link LiveTask#threwOutOfItsWorker}): a few instructions of the pool's bookkeeping, which may
     * already have let a hook awaiting the pool return. The same for the exchanges whose listener or stages a running
     * thread is telling they completed ({@link LiveTask#toldOn}): what the listener did, or threw and its library
     * keeps, is known when the telling ends; one that waits for something is not waited for.
     */
    public void awaitFailuresLeavingTheirWorkers(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        for (LiveTask task : tasks) {
            while (task.state == LiveTask.State.RUNNING && task.threwOutOfItsWorker && task.thread != null
                    && task.thread.isAlive() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
            Thread telling = task.toldOn;
            while (telling != null && task.toldOn == telling && runsOn(telling.getState()) && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait(); // an exchange's listener on its way out, having done its work or failed it
                Thread.yield();
            }
        }
    }

    /** A thread that is running, or only waiting for a monitor (a class being loaded), not waiting for something else. */
    private static boolean runsOn(Thread.State state) {
        return state == Thread.State.RUNNABLE || state == Thread.State.BLOCKED;
    }

    /** Threads, of any pool, that are running one of this scope's tasks right now. */
    public List<Thread> threadsRunningItsTasks() {
        List<Thread> running = new ArrayList<>();
        Capture.runningTasks().forEach((thread, task) -> {
            if (task.scope == this) {
                running.add(thread);
            }
        });
        return running;
    }

    /** The task a thread is running now, or {@code null}. */
    public LiveTask runningTask(Thread thread) {
        LiveTask task = Capture.runningTasks().get(thread);
        return task != null && task.scope == this ? task : null;
    }

    /** Snapshot of the inventory, taken at the halt (or when the verdict is taken). */
    public Inventory snapshot(List<LiveHook> ranHooks, Set<LiveHook> timedOut, long nowNanos) {
        List<CapturedThread> threadRecords = new ArrayList<>();
        for (LiveThread live : threads) {
            Thread thread = live.thread;
            Thread.State state = thread.getState();
            StackTraceElement[] fullStack = state == Thread.State.TERMINATED ? new StackTraceElement[0] : thread.getStackTrace();
            List<StackTraceElement> stack = CallSites.top(fullStack, 64);
            threadRecords.add(new CapturedThread(thread.getName(), thread.getId(), live.daemon, live.isVirtual(),
                    isHookThread(thread) ? CapturedThread.Role.HOOK : live.role,
                    live.executor == null ? null : live.executor.id, live.createdBy, live.site, state, stack,
                    callingExit.contains(thread), ThreadActivity.of(state, fullStack), live.interruptSite,
                    live.caughtFailure, live.caughtAt, live.diedWith, live.diedDuringShutdown,
                    sinceOpened(live.startedNanos), state == Thread.State.TERMINATED ? sinceOpened(live.endedNanos) : CapturedThread.NOT_SEEN));
        }
        List<CapturedTask> taskRecords = new ArrayList<>();
        for (LiveTask task : tasks) {
            CapturedTask record = task.snapshot();
            if (!task.isHousekeepingCutByTheShutdown(record)) {
                taskRecords.add(record);
            }
        }
        List<CapturedHook> hookRecords = new ArrayList<>();
        List<LiveHook> all;
        synchronized (this) {
            all = new ArrayList<>(hooks.values());
        }
        for (LiveHook hook : all) {
            CapturedHook.Outcome outcome;
            if (!ranHooks.contains(hook)) {
                outcome = CapturedHook.Outcome.NOT_RUN;
            } else if (hook.calledExit) {
                outcome = CapturedHook.Outcome.CALLED_EXIT;
            } else if (hook.failure != null) {
                outcome = CapturedHook.Outcome.FAILED;
            } else if (timedOut.contains(hook)) {
                outcome = CapturedHook.Outcome.TIMED_OUT;
            } else {
                outcome = CapturedHook.Outcome.COMPLETED;
            }
            long end = hook.endedNanos == 0 ? nowNanos : hook.endedNanos;
            Duration ran = hook.startedNanos == 0 ? Duration.ZERO : Duration.ofNanos(end - hook.startedNanos);
            hookRecords.add(new CapturedHook(hook.hook.getName(), hook.hook.getId(), hook.site, outcome, ran, hook.failure,
                    sinceOpened(hook.startedNanos), sinceOpened(hook.endedNanos)));
        }
        return new Inventory(threadRecords, executors.stream().map(LiveExecutor::snapshot).toList(), taskRecords,
                hookRecords);
    }
}
