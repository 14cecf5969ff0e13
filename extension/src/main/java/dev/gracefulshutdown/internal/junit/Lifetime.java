package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.internal.Uninterruptibly;
import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.LiveExecutor;
import dev.gracefulshutdown.internal.capture.LiveHook;
import dev.gracefulshutdown.internal.capture.LiveTask;
import dev.gracefulshutdown.internal.capture.LiveThread;
import dev.gracefulshutdown.internal.capture.PoolCleanup;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * One test's application lifetime, kept in the JUnit store. Closing it stops what the application left
 * running, as far as Java allows: it shuts its executors down, interrupts its threads and waits for them a
 * bounded time. Captured hooks are never installed, so they never run at the real JVM exit.
 */
final class Lifetime implements AutoCloseable {

    private static final long STOP_WAIT_MILLIS = 500;

    final Scope scope;
    final Simulation simulation;
    final Configuration configuration;
    private final WhereItRuns where;
    private boolean closed;

    Lifetime(Scope scope, Simulation simulation, Configuration configuration, WhereItRuns where) {
        this.scope = scope;
        this.simulation = simulation;
        this.configuration = configuration;
        this.where = where;
    }

    /** Stops what is left and returns the threads that would not stop, each with what is true of it. */
    synchronized List<String> stop() {
        if (closed || !where.stopsLeftoversAtTheEnd()) {
            return List.of(); // in a forked child the application lives until the real JVM shuts down
        }
        closed = true;
        scope.halt();
        List<Object> pools = new ArrayList<>();
        for (LiveExecutor executor : scope.executors()) {
            Object pool = executor.executor();
            // a library's own executor may be its global singleton, shared with the tests that follow: left alone
            if (PoolCleanup.canStop(pool) && pool != ForkJoinPool.commonPool() && !executor.createdByLibrary()) {
                pools.add(pool);
            }
        }
        PoolCleanup.shutdownNow(pools, STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS); // one that does not answer: its threads say so
        scope.timersStartedHere().forEach(java.util.Timer::cancel); // a timer's thread ignores interrupts
        List<Thread> threads = new ArrayList<>();
        for (LiveThread thread : scope.threads()) {
            // a library's thread waiting for work is the library's, left as it is (nor waited for)
            if (thread.thread().isAlive() && thread.thread() != Thread.currentThread() && !thread.isALibrarysWaitingForWork()) {
                thread.thread().interrupt();
                threads.add(thread.thread());
            }
        }
        for (LiveHook hook : scope.registeredHooks()) {
            if (hook.thread().isAlive()) {
                hook.thread().interrupt();
                threads.add(hook.thread());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        List<String> leftovers = new ArrayList<>();
        for (Thread thread : threads) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!thread.isDaemon()) { // only non-daemon threads can keep the test JVM alive
                Uninterruptibly.join(thread, remaining, TimeUnit.MILLISECONDS);
            }
            if (thread.isAlive() && !configuration.settings().ignores(thread.getName())) {
                String leftover = Leftovers.stillRunning(thread, STOP_WAIT_MILLIS);
                if (leftover != null) {
                    leftovers.add(leftover);
                }
            }
        }
        // A task of this test still running on a pool it did not create (the common pool, a pool made before the
        // test) is named, not interrupted: the interrupt could reach the next test's task on the same worker.
        for (Thread otherPoolsWorker : scope.threadsRunningItsTasks()) {
            LiveTask task = scope.runningTask(otherPoolsWorker);
            if (!threads.contains(otherPoolsWorker) && task != null) {
                leftovers.add(Leftovers.runningItsTask(otherPoolsWorker, task));
            }
        }
        Capture.close(scope);
        return leftovers;
    }

    /** JUnit closes store values it still holds, e.g. when {@code afterEach} never ran. */
    @Override
    public void close() {
        stop();
    }
}
