package dev.gracefulshutdown.internal.capture;

import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Receives the events of the inlined advice through the bootstrap bridge and hands them to {@link Capture}.
 * A failure of the kit never reaches the code under test; the only exceptions that do are the JDK's own
 * ({@code IllegalStateException("Shutdown in progress")} and the like) and {@link SimulatedHalt}.
 */
final class Dispatcher implements Function<Object[], Object> {

    static final Dispatcher INSTANCE = new Dispatcher();

    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
    private final ThreadLocal<AtomicInteger> probing = new ThreadLocal<>();
    /** Whether the self-check runs, so that the events of every other moment skip the look-up of {@link #probing}. */
    private volatile boolean probingAny;

    private Dispatcher() {
    }

    @Override
    public Object apply(Object[] event) {
        String name = (String) event[0];
        if (probingAny) {
            AtomicInteger probe = probing.get();
            if (probe != null) {
                return probe(name, probe);
            }
        }
        switch (name) {
            // These may throw into the code under test, like the JDK methods they stand in for, and the
            // exit may run the whole simulated shutdown on this thread: no re-entrance guard around them.
            case "hook.add":
                return Capture.addHook((Thread) event[1]);
            case "hook.remove":
                return Capture.removeHook((Thread) event[1]);
            case "runtime.exit":
                Capture.exitCalled((Integer) event[1], false);
                return null;
            case "runtime.halt":
                Capture.exitCalled((Integer) event[1], true);
                return null;
            case "executor.enter":
                Capture.creatingWorkers(event[1], true); // must stay balanced with its exit: never skipped
                return null;
            case "idle.interrupts":
                Capture.interruptingIdleWorkers((Boolean) event[1]); // balanced too
                return null;
            case "executor.exit":
                Capture.creatingWorkers(event[1], false);
                return null;
            default:
                return guarded(name, event);
        }
    }

    private Object guarded(String name, Object[] event) {
        if (busy.get() != null) {
            return null;
        }
        busy.set(Boolean.TRUE);
        try {
            return handle(name, event);
        } catch (RuntimeException | LinkageError kitFailure) {
            recordFailure(name, kitFailure); // never let the kit break the code under test, never let it look clean
            return null;
        } finally {
            busy.remove();
        }
    }

    /** The first failure of the kit while it recorded an event, kept on the scope so that its verdict says so. */
    private static void recordFailure(String event, Throwable failure) {
        try {
            Scope scope = Capture.currentScope();
            if (scope != null) {
                scope.captureFailed(new IllegalStateException("the kit failed while recording " + event + ": " + failure, failure));
            }
        } catch (RuntimeException | LinkageError ignored) {
            // nothing more can be done without risking the code under test
        }
    }

    /** Tests only: a failure to inject into the recording of one event (null in production). */
    static volatile java.util.function.Consumer<String> faultInjection;

    private static Object handle(String name, Object[] event) {
        java.util.function.Consumer<String> fault = faultInjection;
        if (fault != null) {
            fault.accept(name);
        }
        switch (name) {
            case "thread.start": Capture.threadStarting((Thread) event[1]); return null;
            case "thread.exit": Capture.threadExiting((Thread) event[1]); return null;
            case "jvm.runHooks": RealShutdown.shutdownStarting(); return null;
            case "jvm.halt":
            case "jvm.hooksDone":
                RealShutdown.halting();
                return null;
            case "thread.daemon": Capture.daemonSetExplicitly((Thread) event[1]); return null;
            case "thread.start.failed": Capture.threadStartFailed((Thread) event[1]); return null;
            case "thread.interrupt": Capture.interrupting((Thread) event[1]); return null;
            case "thread.uncaught": return Capture.uncaught((Thread) event[1], (Throwable) event[2]);
            case "executor.created": Capture.executorCreated(event[1]); return null;
            case "executor.shutdown": Capture.executorShutdown(event[1], false); return null;
            case "executor.shutdownNow": Capture.executorShutdown(event[1], true); return null;
            case "executor.shutdownNow.done": Capture.executorShutdownNowDone((List<?>) event[2]); return null;
            case "task.submit": Capture.taskSubmitted(event[1], event[2]); return null;
            case "task.reject": Capture.taskRejected(event[1], event[2]); return null;
            case "task.caught": Capture.caught((Throwable) event[1], (String) event[2]); return null;
            case "task.reject.handled": Capture.rejectionHandled(event[1], event[2]); return null;
            case "worker.created": Capture.workerCreated((Thread) event[1], event[2]); return null;
            case "worker.run": Capture.workerRuns(); return null;
            case "task.start": Capture.taskStarts(event[1]); return null;
            case "task.end": Capture.taskEnds((Throwable) event[1]); return null;
            case "fj.start": return Capture.forkJoinTaskStarts(event[1]);
            case "fj.end": Capture.forkJoinTaskEnds(event[1]); return null;
            case "work.start": return Capture.forkJoinTaskStarts(event[1]);
            case "work.end": Capture.workEnds(event[1], (Throwable) event[2]); return null;
            case "task.failed": Capture.futureFailed(event[1], (Throwable) event[2]); return null;
            case "async.done": Capture.asyncTaskDone(event[1], event[2]); return null;
            case "task.cancel": Capture.futureCancelled(event[1]); return null;
            default: return null;
        }
    }

    private static Object probe(String name, AtomicInteger seen) {
        switch (name) {
            case "thread.start":
            case "executor.created":
                seen.incrementAndGet();
                return null;
            case "hook.add":
                seen.incrementAndGet();
                return Boolean.TRUE; // captured, so never installed
            default:
                return null;
        }
    }

    /** Sends a thread, a pool and a hook through the instrumentation and checks that each was seen. */
    boolean probe() {
        AtomicInteger seen = new AtomicInteger();
        Thread hook = new Thread(() -> { }, "graceful-shutdown-probe-hook");
        probing.set(seen);
        probingAny = true;
        Capture.setGate(true); // nothing is captured yet: the probe's events must come through all the same
        try {
            Thread thread = new Thread(() -> { }, "graceful-shutdown-probe");
            thread.start();
            // its own thread factory: the default one would take a pool number ("pool-N-thread-M") from the application
            new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), (ThreadFactory) Thread::new).shutdown();
            Runtime.getRuntime().addShutdownHook(hook);
        } finally {
            probing.remove();
            probingAny = false;
            Capture.updateGate();
        }
        if (seen.get() < 3) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook); // the hook was installed for real: take it back
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // nothing to undo
            }
            return false;
        }
        return true;
    }
}
