package dev.gracefulshutdown.internal.capture;

import static dev.gracefulshutdown.internal.capture.Capture.*;

import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What happens to threads: started (and whose they are: a pool's worker, a hook, a task's own thread, the
 * application's), their daemon flag, interrupts, exceptions caught by the user's code and uncaught ones.
 */
final class ThreadEvents {

    /** Threads whose daemon flag was set explicitly before they started. */
    private static final Map<Thread, Boolean> EXPLICIT_DAEMON = Collections.synchronizedMap(new WeakHashMap<>());
    private static final ThreadLocal<Boolean> INTERRUPTING_IDLE_WORKERS = new ThreadLocal<>();
    private static final String CF_THREAD_PER_TASK = "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor";
    private static final String THREAD_PER_TASK = "java.util.concurrent.ThreadPerTaskExecutor";

    private ThreadEvents() {
    }

    /**
     * The thread JUnit runs a test's code on for {@code assertTimeoutPreemptively} (and {@code @Timeout} in a separate
     * thread): started by JUnit's pool from the test's main thread, it is that test's main thread too, so that what the
     * code creates there is the application's (it was not captured at all: a pool it left was a clean verdict).
     */
    private static final String JUNIT_TIMEOUT_THREAD = "junit-timeout-thread-";

    static void threadStarting(Thread thread) {
        if (idle() || THREADS.containsKey(thread)) {
            return;
        }
        Object poolCreatingIt = CREATING_WORKERS_FOR.get().peek();
        LiveExecutor executor = null;
        Scope scope;
        CapturedThread.Role role = CapturedThread.Role.APPLICATION;
        CallSites.Captured site = CallSites.capture();
        Scope startedByMain = MAIN_THREADS.get(Thread.currentThread());
        if (startedByMain != null && site.origin() == CallSites.Origin.TOOL && thread.getName().startsWith(JUNIT_TIMEOUT_THREAD)) {
            startedByMain.adoptMainThread(thread); // it runs the test's own code for it, as main would
            return;
        }
        if (poolCreatingIt != null) {
            executor = EXECUTORS.get(new Identity(poolCreatingIt));
            if (executor == null) {
                SharedThreads.workerOfAPoolFromBefore(thread, site.site());
                return; // a worker of a pool the application did not create: a shared pool, a tool's pool
            }
            scope = executor.scope;
            role = CapturedThread.Role.POOL_WORKER;
        } else if (TaskEvents.handsOnDelayedTask(site)) {
            LiveTask delayed = RUNNING.get(Thread.currentThread()); // CompletableFuture's delayer starts a thread per task
            register(new LiveThread(thread, delayed.scope, CapturedThread.Role.TASK_THREAD, null,
                    Thread.currentThread().getName(), delayed.site, daemonInApplication(thread, delayed.scope)));
            return;
        } else {
            scope = currentScope();
            if (scope == null) {
                scope = HookEvents.startedByTheRealJvm(thread);
            }
            if (scope == null) {
                SharedThreads.startedByOne(thread, site.site());
                return;
            }
            LiveHook hook = scope.isHookThread(thread) ? scope.hookOf(thread) : null;
            if (hook != null) { // started by the simulated shutdown: it is the application's hook all the same
                register(new LiveThread(thread, scope, CapturedThread.Role.HOOK, null, Thread.currentThread().getName(),
                        hook.site, daemonInApplication(thread, scope)));
                return;
            }
            LiveThread starter = site.origin() == CallSites.Origin.APPLICATION ? null : THREADS.get(Thread.currentThread());
            if (starter != null && starter.scope == scope && site.passesThrough(CF_THREAD_PER_TASK)) {
                // the JDK's own code, on a thread of the application's, runs a CompletableFuture's async step on a thread
                // of its own (fewer than two CPUs for the common pool): the stages the application chained on it run
                // there (the JDK's HttpClient completing an exchange's future)
                LiveTask exchange = TaskEvents.exchangeBeingCompleted(scope, site, CompletionSteps.futuresOfThread(thread));
                LiveThread stages = new LiveThread(thread, scope, CapturedThread.Role.TASK_THREAD, null,
                        Thread.currentThread().getName(), exchange != null ? exchange.site : starter.site,
                        daemonInApplication(thread, scope));
                stages.completesExchange = exchange;
                register(stages);
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
        LiveThread live = new LiveThread(thread, scope, role, executor, Thread.currentThread().getName(), site.site(),
                daemonInApplication(thread, scope));
        register(live);
        if (role == CapturedThread.Role.TASK_THREAD) {
            TaskEvents.stepStarted(live, site); // the JDK's HttpClient answered before its sendAsync returned
        }
    }



    /** A captured thread ends: when, for the timeline. */
    static void threadExiting(Thread thread) {
        LiveThread live = THREADS.get(thread);
        if (live != null && live.scope.phase() != Scope.Phase.HALTED) {
            live.endedNanos = System.nanoTime();
            LiveHook hook = live.role == CapturedThread.Role.HOOK ? live.scope.hookOf(thread) : null;
            if (hook != null) {
                hook.ended(); // to the nanosecond: the simulation sees it only when it next polls
            }
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
        if (TaskEvents.IN_SHUTDOWN_NOW.get() != null || task.scope.isShuttingDownOrLater()) {
            if (task.interruptSite == null && task.scope.phase() != Scope.Phase.HALTED && !task.finishedItsOwnWork()
                    && (!task.inLibraryPool() || ThreadActivity.of(target.getState(), target.getStackTrace())
                            == CapturedThread.Activity.WORKING)) { // a server's idle loop is told to stop, not its work
                task.pinWhatItCarries(); // before its library lets go of it
                task.interruptSite = CallSites.capture().site();
                task.interruptedInUsersCode = StackFrames.runsUsersCode(target);
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
        String library = failure == null ? null : SwallowedFailures.libraryCatch(failure, where);
        if (library != null && where.startsWith(HttpExchanges.JETTY_LISTENERS)) {
            TaskEvents.exchangeListenerFailed(failure, library); // the exchange's failure, once its completion is told
        } else if (library != null && !TaskEvents.failedInAnExchangesListener(failure, library)) {
            swallowed(failure, library); // a library's catch that ends the user's work (Netty's timer)
        } else if (isAFailure(failure) && !inALibrary(where)) {
            keptByItsTask(failure, where, false);
        }
        // On a thread that runs no tracked task there is no end of the work to see whether the failure left it: a
        // try-with-resources catches, closes and rethrows. Only a task that then returns has swallowed it.
    }

    /** Where a stage's failure was kept, as messages say it. */
    static final String KEPT_BY_ITS_STAGE = "java.util.concurrent.CompletableFuture, which keeps what a stage's function "
            + "threw in the stage's future (thenApply, thenAccept, handle, exceptionally...)";

    /**
     * A {@code CompletableFuture} stage's function threw, and the stage's future keeps the exception: on a task the
     * kit tracks, during the shutdown, as a catch of the user's that does not rethrow (a {@code thenAccept(save)} after
     * a {@code supplyAsync}, its connection closed by then). Only what came out of the user's code counts (a frame of
     * the user's above the {@code CompletableFuture} that caught it): a library's own stages are its business. On a
     * thread of its own (a {@code runAsync} without an executor when the common pool has fewer than two threads: the
     * JDK then starts a thread per task), the same, for the thread's work. On any other thread, as with the user's own
     * catch blocks, nothing is counted: whoever joins that future may still handle it.
     */
    static void stageFailed(Throwable failure) {
        if (!isAFailure(failure) || !thrownByUsersCode(failure)
                || TaskEvents.failedInAnExchangesListener(failure, KEPT_BY_ITS_STAGE)
                || keptByItsTask(failure, KEPT_BY_ITS_STAGE, true)) {
            return;
        }
        LiveThread live = THREADS.get(Thread.currentThread());
        if (live != null && live.role == CapturedThread.Role.TASK_THREAD && live.scope.phase() == Scope.Phase.SHUTTING_DOWN) {
            LiveTask exchange = live.completesExchange;
            if (exchange != null) { // a stage chained on the exchange's future: the exchange's work failed
                TaskEvents.told(exchange, new TaskEvents.Failed(failure, KEPT_BY_ITS_STAGE));
            } else {
                live.caughtAt = KEPT_BY_ITS_STAGE;
                live.caughtFailure = failure;
            }
        }
    }

    private static boolean thrownByUsersCode(Throwable failure) {
        return SwallowedFailures.thrownByUsersCode(failure, "java.util.concurrent.CompletableFuture");
    }

    /**
     * A framework caught the exception of the user's work and only logs it ({@link SwallowedFailures}). On a task the
     * kit tracks, as a catch of the user's. On a thread that runs none (a thread per task: Spring's
     * {@code SimpleAsyncTaskExecutor}, virtual threads), the framework's catch is the end of that work, unlike a
     * catch of the user's: the thread's work failed during the shutdown (unless it then dies of what was rethrown).
     */
    static void swallowed(Throwable failure, String where) {
        if (!isAFailure(failure) || TaskEvents.failedInAnExchangesListener(failure, where)
                || keptByItsTask(failure, where, true)) {
            return;
        }
        LiveThread live = THREADS.get(Thread.currentThread());
        if (live != null && live.role != CapturedThread.Role.HOOK && live.scope.phase() == Scope.Phase.SHUTTING_DOWN) {
            live.caughtAt = where;
            live.caughtFailure = failure;
        }
    }

    /**
     * A catch in a library's code (one the configuration names after its classes were loaded, woven as the user's):
     * the library handling its own failure (an accept loop ending when its socket closes), not the user's work
     * swallowing one.
     */
    private static boolean inALibrary(String where) {
        int call = where == null ? -1 : where.indexOf('(');
        String method = call < 0 ? where : where.substring(0, call);
        int dot = method == null ? -1 : method.lastIndexOf('.');
        return dot > 0 && KnownLibraries.contains(method.substring(0, dot));
    }

    private static boolean isAFailure(Throwable failure) {
        return !idle() && failure != null && !isOrdinaryControlFlow(failure);
    }

    /**
     * Records the failure on the task the current thread runs, if it runs one the kit tracks (whatever the phase).
     * The last catch wins: an earlier one may have rethrown it wrapped (a Quartz job's JobExecutionException), the
     * last before the task returned is the one that kept it. {@code lostByALibrary}: a library caught it (a stage's
     * future, a framework's handler) rather than the user's own catch; thrown by the user's code, it fails the task
     * even if the task is a library's own (the JDK's HttpClient completing an exchange runs the stages the application
     * chained on it, on a task of its own).
     */
    private static boolean keptByItsTask(Throwable failure, String where, boolean lostByALibrary) {
        LiveTask task = RUNNING.get(Thread.currentThread());
        if (task == null) {
            return false;
        }
        if (task.scope.phase() == Scope.Phase.SHUTTING_DOWN) {
            task.pinWhatItCarries(); // before its library lets go of it
            task.caughtAt = where;
            task.caughtFailure = failure;
            task.usersCodeFailedInIt = lostByALibrary && StackFrames.runsUsersCode(failure.getStackTrace());
        }
        return true;
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
                HookEvents.hookFailed(hook, error);
            }
        }
        return false;
    }
}
