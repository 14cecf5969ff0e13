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
        int code = (Integer) event[0];
        if (probingAny) {
            AtomicInteger probe = probing.get();
            if (probe != null) {
                return probe(code, probe);
            }
        }
        switch (code) {
            // These may throw into the code under test, like the JDK methods they stand in for, and the
            // exit may run the whole simulated shutdown on this thread: no re-entrance guard around them.
            case Events.HOOK_ADD:
                return HookEvents.addHook((Thread) event[1]);
            case Events.HOOK_REMOVE:
                return HookEvents.removeHook((Thread) event[1]);
            case Events.RUNTIME_EXIT:
                HookEvents.exitCalled((Integer) event[1], false);
                return null;
            case Events.RUNTIME_HALT:
                HookEvents.exitCalled((Integer) event[1], true);
                return null;
            case Events.EXECUTOR_ENTER:
                TaskEvents.creatingWorkers(event[1], true); // must stay balanced with its exit: never skipped
                return null;
            case Events.IDLE_INTERRUPTS:
                ThreadEvents.interruptingIdleWorkers((Boolean) event[1]); // balanced too
                return null;
            case Events.EXECUTOR_EXIT:
                TaskEvents.creatingWorkers(event[1], false);
                return null;
            default:
                return guarded(code, event);
        }
    }

    private Object guarded(int code, Object[] event) {
        if (busy.get() != null) {
            return null;
        }
        busy.set(Boolean.TRUE);
        try {
            return handle(code, event);
        } catch (RuntimeException | LinkageError kitFailure) {
            recordFailure(code, kitFailure); // never let the kit break the code under test, never let it look clean
            return null;
        } finally {
            busy.remove();
        }
    }

    /** The first failure of the kit while it recorded an event, kept on the scope so that its verdict says so. */
    private static void recordFailure(int event, Throwable failure) {
        try {
            Scope scope = Capture.currentScope();
            if (scope != null) {
                scope.captureFailed(new IllegalStateException("the kit failed while recording " + Events.name(event) + ": " + failure, failure));
            }
        } catch (RuntimeException | LinkageError ignored) {
            // nothing more can be done without risking the code under test
        }
    }

    /** Tests only: a failure to inject into the recording of one event (null in production). */
    static volatile java.util.function.Consumer<String> faultInjection;

    private static Object handle(int code, Object[] event) {
        java.util.function.Consumer<String> fault = faultInjection;
        if (fault != null) {
            fault.accept(Events.name(code));
        }
        switch (code) {
            case Events.THREAD_START: ThreadEvents.threadStarting((Thread) event[1]); return null;
            case Events.THREAD_EXIT:
                ThreadEvents.threadExiting((Thread) event[1]);
                HookEvents.threadExiting((Thread) event[1]);
                return null;
            case Events.JVM_RUN_HOOKS: RealShutdown.shutdownStarting(); return null;
            case Events.JVM_HALT:
            case Events.JVM_HOOKS_DONE:
                RealShutdown.halting();
                return null;
            case Events.THREAD_DAEMON: ThreadEvents.daemonSetExplicitly((Thread) event[1]); return null;
            case Events.THREAD_START_FAILED: ThreadEvents.threadStartFailed((Thread) event[1]); return null;
            case Events.THREAD_INTERRUPT: ThreadEvents.interrupting((Thread) event[1]); return null;
            case Events.THREAD_UNCAUGHT: return ThreadEvents.uncaught((Thread) event[1], (Throwable) event[2]);
            case Events.EXECUTOR_CREATED: TaskEvents.executorCreated(event[1]); return null;
            case Events.EXECUTOR_SHUTDOWN: TaskEvents.executorShutdown(event[1], false); return null;
            case Events.EXECUTOR_SHUTDOWN_NOW: TaskEvents.executorShutdown(event[1], true); return null;
            case Events.EXECUTOR_SHUTDOWN_NOW_DONE: TaskEvents.executorShutdownNowDone((List<?>) event[2]); return null;
            case Events.TASK_SUBMIT: TaskEvents.taskSubmitted(event[1], event[2]); return null;
            case Events.TASK_SCHEDULED_FROM_LOOP: TaskEvents.scheduledFromItsLoop(event[1], event[2]); return null;
            case Events.TASK_TAKEN_BACK: TaskEvents.takenBack(event[1]); return null;
            case Events.TASK_REJECT: TaskEvents.taskRejected(event[1], event[2]); return null;
            case Events.TASK_CAUGHT: ThreadEvents.caught((Throwable) event[1], (String) event[2]); return null;
            case Events.STAGE_FAILED: ThreadEvents.stageFailed((Throwable) event[1]); return null;
            case Events.TASK_REJECT_HANDLED: TaskEvents.rejectionHandled(event[1], event[2]); return null;
            case Events.WORKER_CREATED: TaskEvents.workerCreated((Thread) event[1], event[2]); return null;
            case Events.WORKER_RUN: TaskEvents.workerRuns(); return null;
            case Events.TASK_START: TaskEvents.taskStarts(event[1]); return null;
            case Events.TASK_END: TaskEvents.taskEnds((Throwable) event[1]); return null;
            case Events.FJ_START: return TaskEvents.forkJoinTaskStarts(event[1]);
            case Events.FJ_END: TaskEvents.forkJoinTaskEnds(event[1]); return null;
            case Events.WORK_START: return TaskEvents.forkJoinTaskStarts(event[1]);
            case Events.WORK_END: TaskEvents.workEnds(event[1], (Throwable) event[2]); return null;
            case Events.TASK_FAILED: TaskEvents.futureFailed(event[1], (Throwable) event[2]); return null;
            case Events.ASYNC_DONE: TaskEvents.asyncTaskDone(event[1], event[2]); return null;
            case Events.TASK_CANCEL: TaskEvents.futureCancelled(event[1]); return null;
            case Events.FAILURE_SWALLOWED: SwallowedFailures.swallowed((Throwable) event[1], (String) event[2]); return null;
            case Events.WORKER_EXITS_ABRUPTLY: TaskEvents.workerExitsAbruptly(); return null;
            case Events.EXCHANGE_SENT: TaskEvents.exchangeSent(event[1], event[2], event[3]); return null;
            case Events.EXCHANGE_DONE: TaskEvents.exchangeDone(event[1], (Throwable) event[2], (String) event[3]); return null;
            case Events.EXCHANGE_NOTIFYING: TaskEvents.exchangeNotifying(event[1]); return null;
            case Events.EXCHANGE_ATTEMPT: TaskEvents.exchangeAttempt(event[1], event[2]); return null;
            case Events.EXCHANGE_CONNECTION: TaskEvents.exchangeConnection(event[1], event[2], event[3], event[4]); return null;
            case Events.EXCHANGE_GIVEN_UP: TaskEvents.exchangeGivenUp(event[1]); return null;
            default: return null;
        }
    }

    private static Object probe(int code, AtomicInteger seen) {
        switch (code) {
            case Events.THREAD_START:
            case Events.EXECUTOR_CREATED:
                seen.incrementAndGet();
                return null;
            case Events.HOOK_ADD:
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
