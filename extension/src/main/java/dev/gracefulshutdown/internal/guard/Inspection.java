package dev.gracefulshutdown.internal.guard;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.internal.Uninterruptibly;
import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.LiveExecutor;
import dev.gracefulshutdown.internal.capture.LiveHook;
import dev.gracefulshutdown.internal.capture.LiveThread;
import dev.gracefulshutdown.internal.capture.PoolCleanup;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.text.Frames;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * What one guarded scope (a test, or a class's {@code @BeforeAll}/{@code @AfterAll}) left behind, and the cleanup
 * after it. The cleanup is the kit's own ({@code Lifetime}): shut the scope's pools down, interrupt its threads, wait
 * a bounded time for the non-daemon ones, close the scope; so a leak is attributed to no later test, and a thread
 * that ignores interrupts costs at most {@value #STOP_WAIT_MILLIS} ms once.
 *
 * <p>What a static initializer created (a {@code static final} pool) belongs to the JVM, not to the test that
 * happened to load the class first: it is neither reported nor stopped, or later tests would find it shut down.
 */
final class Inspection {

    /** How long work that is just finishing (a thread after its last statement, a task after its latch) may take. */
    static final long SETTLE_MILLIS = 100;
    static final long STOP_WAIT_MILLIS = 500;
    private static final List<Pattern> IGNORED = Settings.DEFAULT_IGNORED_THREADS.stream().map(Pattern::compile).toList();

    private Inspection() {
    }

    /** The leaks of the scope, after letting work that is just finishing finish (up to {@value #SETTLE_MILLIS} ms). */
    static List<Leak> leaks(Scope scope, String test) {
        if (nothingToInspect(scope)) {
            return List.of();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        while (true) {
            List<Leak> leaks = find(scope, test);
            boolean mayStillFinish = leaks.stream().anyMatch(l -> l.kind() == Leak.Kind.THREAD_STILL_RUNNING
                    || l.kind() == Leak.Kind.TASK_STILL_RUNNING
                    || l.kind() == Leak.Kind.TASK_STILL_QUEUED && !l.detail().equals("periodic")); // a worker's first task
            long remaining = deadline - System.nanoTime();
            if (!mayStillFinish || remaining <= 0) {
                return leaks;
            }
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    /** The fast path of a test that started nothing, or only what it stopped and saw end. */
    private static boolean nothingToInspect(Scope scope) {
        if (!scope.registeredHooks().isEmpty() || !scope.everyTaskEnded()) {
            return false;
        }
        for (LiveThread thread : scope.threads()) {
            if (thread.thread().isAlive() || thread.uncaughtException() != null) {
                return false;
            }
        }
        for (LiveExecutor executor : scope.executors()) {
            if (executor.executor() instanceof ExecutorService pool && !pool.isShutdown()) {
                return false;
            }
        }
        return true;
    }

    private static List<Leak> find(Scope scope, String test) {
        List<Leak> leaks = new ArrayList<>();
        Map<String, Integer> aliveWorkers = new java.util.HashMap<>();
        for (LiveThread live : scope.threads()) {
            Thread thread = live.thread();
            if (live.uncaughtException() != null && !isStatic(live.site())) {
                Throwable error = live.uncaughtException();
                leaks.add(leak(test, Leak.Kind.UNCAUGHT_EXCEPTION, "thread \"" + thread.getName() + "\"", live.site(),
                        error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage())
                                + (error.getStackTrace().length == 0 ? "" : ", thrown at " + Frames.thrownAt(error))));
                continue;
            }
            if (!thread.isAlive() || thread == Thread.currentThread()) {
                continue;
            }
            if (live.executor() != null) { // a pool's worker: its pool or its task is what was left
                aliveWorkers.merge(live.executor().id(), 1, Integer::sum);
                continue;
            }
            if (live.isDaemon() || isStatic(live.site()) || ignored(thread.getName()) || scope.runningTask(thread) != null) {
                continue;
            }
            StackTraceElement[] stack = thread.getStackTrace();
            leaks.add(leak(test, Leak.Kind.THREAD_STILL_RUNNING, "non-daemon thread \"" + thread.getName() + "\"",
                    live.site(), thread.getState() + (stack.length == 0 ? "" : " in " + firstUserFrame(stack))));
        }
        Set<Object> shutDownPools = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (LiveExecutor executor : scope.executors()) {
            Object pool = executor.executor();
            if (!(pool instanceof ExecutorService service) || pool == ForkJoinPool.commonPool() || executor.createdByLibrary()) {
                continue;
            }
            CapturedExecutor snapshot = executor.snapshot();
            if (service.isShutdown() || isStatic(snapshot.creationSite())) {
                shutDownPools.add(pool);
                continue;
            }
            int workers = aliveWorkers.getOrDefault(executor.id(), 0);
            leaks.add(leak(test, Leak.Kind.POOL_NEVER_SHUT_DOWN, executor.id() + " (" + workers + " thread"
                    + (workers == 1 ? "" : "s") + " alive)", snapshot.creationSite(), ""));
        }
        if (!scope.everyTaskEnded()) { // a snapshot of every task only where one may be left
            for (CapturedTask task : scope.snapshot(List.of(), Set.of(), System.nanoTime()).tasks()) {
                if (task.outcome() == CapturedTask.Outcome.RUNNING) {
                    leaks.add(leak(test, Leak.Kind.TASK_STILL_RUNNING, task.id() + " (" + task.description() + ") on "
                            + task.executor(), task.submissionSite(),
                            task.thread() == null ? "in flight" : "on thread \"" + task.thread() + "\""));
                } else if (task.outcome() == CapturedTask.Outcome.NEVER_STARTED) {
                    leaks.add(leak(test, Leak.Kind.TASK_STILL_QUEUED, task.id() + " (" + task.description() + ") on "
                            + task.executor(), task.submissionSite(), task.periodic() ? "periodic" : ""));
                }
            }
        }
        for (LiveHook hook : scope.registeredHooks()) {
            leaks.add(leak(test, Leak.Kind.HOOK_NEVER_REMOVED, "shutdown hook \"" + hook.thread().getName() + "\"",
                    hook.site(), "captured by the guard, never installed in the JVM"));
        }
        return leaks;
    }

    private static Leak leak(String test, Leak.Kind kind, String what, CallSite site, String detail) {
        String[] sites = Leak.sites(site);
        return new Leak(test, kind, what, sites[0], sites[1], detail);
    }

    private static String firstUserFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return Frames.format(frame);
            }
        }
        return Frames.format(stack[0]);
    }

    private static boolean ignored(String name) {
        for (Pattern pattern : IGNORED) {
            if (pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Created while a class was initialised: a JVM-wide singleton, not something a test left. */
    static boolean isStatic(CallSite site) {
        return site != null && site.frames().stream().anyMatch(f -> "<clinit>".equals(f.getMethodName()));
    }

    /**
     * A pool that terminated: its workers have left their loops and are only exiting, so they are neither interrupted
     * nor waited for (a test that shut its pool down properly does not wait for them either).
     */
    private static boolean terminated(LiveExecutor executor) {
        return executor.executor() instanceof ExecutorService pool && pool.isTerminated();
    }

    /**
     * The kit's cleanup: shuts the scope's pools down, interrupts its threads, waits up to {@value #STOP_WAIT_MILLIS}
     * ms for the non-daemon ones, then closes the scope. Returns the names of the threads that would not stop.
     */
    static List<String> stop(Scope scope) {
        List<String> leftovers = new ArrayList<>();
        try {
            List<Object> pools = new ArrayList<>();
            for (LiveExecutor executor : scope.executors()) {
                Object pool = executor.executor();
                if (PoolCleanup.canStop(pool) && pool != ForkJoinPool.commonPool() && !executor.createdByLibrary()
                        && !(pool instanceof ExecutorService service && service.isTerminated())
                        && !isStatic(executor.snapshot().creationSite())) {
                    pools.add(pool);
                }
            }
            PoolCleanup.shutdownNow(pools, STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS); // one that does not answer: its threads say so
            scope.timersStartedHere().forEach(java.util.Timer::cancel); // a timer's thread ignores interrupts
            List<Thread> threads = new ArrayList<>();
            for (LiveThread live : scope.threads()) {
                Thread thread = live.thread();
                if (thread.isAlive() && thread != Thread.currentThread() && !isStatic(live.site()) && !live.isALibrarysWaitingForWork()
                        && (live.executor() == null || !live.executor().createdByLibrary() && !terminated(live.executor()))) {
                    thread.interrupt();
                    threads.add(thread);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
            for (Thread thread : threads) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!thread.isDaemon()) {
                    Uninterruptibly.join(thread, remaining, TimeUnit.MILLISECONDS);
                }
                if (thread.isAlive() && !thread.isDaemon() && !ignored(thread.getName())) {
                    leftovers.add("\"" + thread.getName() + "\" (non-daemon: did not stop within " + STOP_WAIT_MILLIS
                            + " ms of being interrupted)");
                }
            }
        } finally {
            Capture.close(scope);
        }
        return leftovers;
    }
}
