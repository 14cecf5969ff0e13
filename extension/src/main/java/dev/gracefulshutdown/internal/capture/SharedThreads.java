package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CapturedThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads an earlier test's code started that outlived its verdict: a library's JVM-wide pool or event loop
 * (gRPC's shared executor and event loops, Reactor's schedulers), created by whichever test used the library first.
 * Attribution follows creation, so what they do for a later test belongs to no one, and the work they are doing for
 * it at the halt would go unseen: a clean verdict the same test forked (a JVM of its own) would not give.
 *
 * <p>The threads they start are theirs ({@link #startedByOne}). So a test notes, as it begins, which of them are
 * already in the user's code (a thread an earlier test left running); at the halt, if it is the only application in the
 * JVM (no test running in parallel), it takes those now working on the user's code that were not then, and they are
 * judged like its own threads: a worker cut off at the halt.
 *
 * <p>A pool's worker says more: whose task it runs. A task handed to it while the test is alone, by a thread of no open
 * test, is the test's ({@link #handedOver}); a task an earlier test submitted, or one it was still running when its
 * verdict was given, is that test's, even when it reaches the user's code only now (its export, queued behind a wait,
 * starting while a later test runs). Such a worker is never the later test's. A thread no task is known of (an event
 * loop running a handler itself) is judged by when it was in the user's code.
 */
final class SharedThreads {

    /** Tasks handed to a pool of no open test, by a thread of no open test, while one test was alone: that test's. */
    private static final Map<Capture.Identity, Scope> HANDED_OVER = new ConcurrentHashMap<>();
    /** For each of them running a task now: the test it was handed over for, or {@link #EARLIER}. */
    private static final Map<Thread, Object> WORKING_FOR = new ConcurrentHashMap<>();
    /** A task of a test whose verdict was given before the current one began. */
    private static final Object EARLIER = new Object();

    private SharedThreads() {
    }

    /** A task handed over by a thread of no open test to a pool of none: the test's when it is the only one open. */
    static void handedOver(Object task) {
        if (Capture.RETIRED.isEmpty()) {
            return; // none of them could run it
        }
        Scope alone = Capture.theOnlyApplication();
        if (alone != null) {
            HANDED_OVER.put(new Capture.Identity(task), alone);
        }
    }

    /**
     * A task no open test tracks starts on the current thread: if it is one of them, it now works for that task's test.
     * Returns whether it noted so (then the task's end must be told, {@link #endsUntracked}).
     */
    static boolean startsUntracked(Object task) {
        Thread thread = Thread.currentThread();
        if (Capture.RETIRED.get(thread) == null) {
            return false;
        }
        Scope handedFor = HANDED_OVER.remove(new Capture.Identity(task));
        WORKING_FOR.put(thread, handedFor != null ? handedFor : EARLIER);
        return true;
    }

    /** A task no open test tracks ended on the current thread. */
    static void endsUntracked() {
        if (!WORKING_FOR.isEmpty()) {
            WORKING_FOR.remove(Thread.currentThread());
        }
    }

    /**
     * A test's verdict is given: the tasks handed over for it are forgotten, and its threads still running one of its
     * tasks run an earlier test's work from now on.
     */
    static void closed(Scope scope, Iterable<LiveTask> running) {
        HANDED_OVER.values().removeIf(s -> s == scope);
        WORKING_FOR.replaceAll((thread, test) -> test == scope ? EARLIER : test);
        for (LiveTask task : running) {
            Thread thread = task.thread;
            if (task.scope == scope && thread != null && thread.isAlive() && Capture.RETIRED.containsKey(thread)) {
                WORKING_FOR.put(thread, EARLIER);
            }
        }
        WORKING_FOR.keySet().removeIf(thread -> !thread.isAlive());
    }

    /**
     * A thread that one of them starts is one of them: a shared pool created lazily by a shared event loop (gRPC's
     * executor, at the first call an earlier test's server receives) belongs to no test either.
     */
    static void startedByOne(Thread started, dev.gracefulshutdown.CallSite site) {
        oneOfThem(started, site, null);
    }

    /**
     * The scope of the pool that one of them hands a task to, or {@code null}: an earlier test's event loop dispatching
     * a call to the executor this test's code created is this test's work.
     */
    static Scope handingWorkTo(Object executor) {
        LiveExecutor pool = Capture.EXECUTORS.get(new Capture.Identity(executor)); // lock-free: asked first
        if (pool == null || pool.scope.phase() == Scope.Phase.CLOSED || Capture.RETIRED.get(Thread.currentThread()) == null) {
            return null;
        }
        return pool.scope;
    }

    /**
     * A new worker of a pool no open test created (a JVM-wide pool an earlier test's code created, still without
     * threads then: gRPC's executor), made to grow by one of them or by the test: one of them. A pool the test
     * scaffolding runs outside any test (a server the tests talk to) grows on its own threads, and is no one's.
     */
    static void workerOfAPoolFromBefore(Thread started, dev.gracefulshutdown.CallSite site) {
        Scope growing = Capture.currentScope();
        oneOfThem(started, site, growing == null ? null : growing.name);
    }

    /**
     * Counts a thread just started among them, with the test its starter was retired from, else {@code test} (the
     * open test making a pool from before grow), else not at all.
     */
    private static void oneOfThem(Thread started, dev.gracefulshutdown.CallSite site, String test) {
        Thread starter = Thread.currentThread();
        Capture.Retired by = Capture.RETIRED.get(starter);
        String from = by != null ? by.test() : test;
        if (from != null) {
            Capture.RETIRED.putIfAbsent(started, new Capture.Retired(from, site, starter.getName()));
        }
    }

    /**
     * As a test begins: the live threads of closed scopes with the user's code on their stacks now. A pool's worker in
     * the midst of a task, in a library's code, runs a task that started before the test (between two tests, when
     * nothing is recorded): an earlier test's, until its next task. Any other has no task now.
     */
    static Set<Thread> inUsersCode() {
        Set<Thread> busy = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Thread thread : retiredAlive().keySet()) {
            StackTraceElement[] stack = thread.getStackTrace();
            if (StackFrames.runsUsersCode(stack)) {
                busy.add(thread);
            } else if (runsAPoolsTask(stack)) {
                WORKING_FOR.putIfAbsent(thread, EARLIER); // unless a task handed over for this test just started
            } else {
                WORKING_FOR.remove(thread); // between tasks: what it ran while nothing was recorded has ended
            }
        }
        return busy;
    }

    /** Whether a thread with this stack is a {@code ThreadPoolExecutor}'s worker running a task, not waiting for one. */
    static boolean runsAPoolsTask(StackTraceElement[] stack) {
        boolean worker = false;
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")) {
                if (frame.getMethodName().equals("getTask")) {
                    return false;
                }
                worker |= frame.getMethodName().equals("runWorker");
            }
        }
        return worker;
    }

    /**
     * Registers in the scope, as its workers, the threads of closed scopes working on the user's code now that were
     * not in it when the scope began ({@code busyAtOpen}); only when the scope is the only application open.
     */
    static void adoptWorking(Scope scope, Set<Thread> busyAtOpen) {
        if (!Capture.alone(scope)) {
            return; // tests in parallel: whose work it is cannot be told
        }
        for (Map.Entry<Thread, Capture.Retired> entry : retiredAlive().entrySet()) {
            Thread thread = entry.getKey();
            if (Capture.THREADS.containsKey(thread) || thread == Thread.currentThread() || Capture.RUNNING.containsKey(thread)) {
                continue; // already judged: a thread of an open scope, or one running a task the kit tracks
            }
            Object workingFor = WORKING_FOR.get(thread);
            if (workingFor != null && workingFor != scope) {
                continue; // a task of an earlier test's, whatever code it has reached now
            }
            if (workingFor == null && busyAtOpen.contains(thread)) {
                continue; // in the user's code since before the test, and no task handed over for it since: not its work
            }
            if (ThreadActivity.of(thread.getState(), thread.getStackTrace()) == CapturedThread.Activity.WORKING) {
                Capture.Retired retired = entry.getValue();
                Capture.register(new LiveThread(thread, scope, CapturedThread.Role.FRAMEWORK_WORKER, null,
                        retired.createdBy(), retired.site(), thread.isDaemon()));
            }
        }
    }

    private static Map<Thread, Capture.Retired> retiredAlive() {
        List<Map.Entry<Thread, Capture.Retired>> entries;
        synchronized (Capture.RETIRED) {
            entries = new ArrayList<>(Capture.RETIRED.entrySet());
        }
        Map<Thread, Capture.Retired> alive = new java.util.IdentityHashMap<>();
        for (Map.Entry<Thread, Capture.Retired> entry : entries) {
            if (entry.getKey() != null && entry.getKey().isAlive()) {
                alive.put(entry.getKey(), entry.getValue());
            }
        }
        return alive;
    }
}
