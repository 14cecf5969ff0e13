package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.CapturedTask;
import java.util.List;

/** Immutable snapshot of what an application created and what became of it. */
public record Inventory(List<CapturedThread> threads, List<CapturedExecutor> executors, List<CapturedTask> tasks,
        List<CapturedHook> hooks) {

    /**
     * The non-daemon application threads still alive: those that keep a JVM from exiting after {@code main}
     * returned, each with {@code reason}.
     */
    public java.util.Map<Long, String> keepingAlive(java.util.function.Predicate<String> ignoredName, String reason) {
        java.util.Map<Long, String> alive = new java.util.LinkedHashMap<>();
        for (CapturedThread thread : threads) {
            if (thread.alive() && !thread.daemon() && thread.role() != CapturedThread.Role.HOOK && !ignoredName.test(thread.name())) {
                alive.put(thread.id(), reason);
            }
        }
        return alive;
    }

    /**
     * This inventory as of a {@code SIGKILL} during the hooks (an orchestrator's grace period ended): every hook
     * still running at the last snapshot ran out of time.
     */
    /**
     * A real JVM given more time than the grace period (a forked JVM is killed a little after it, so that its
     * recording can be written): a hook that ran longer than the grace period would have been killed by the
     * orchestrator, and counts as still running when the grace period ended.
     */
    public Inventory overrunning(java.time.Duration gracePeriod) {
        List<CapturedHook> outcomes = hooks.stream().map(hook -> {
            boolean overran = (hook.outcome() == CapturedHook.Outcome.COMPLETED || hook.outcome() == CapturedHook.Outcome.FAILED)
                    && hook.duration().compareTo(gracePeriod) > 0;
            return overran ? new CapturedHook(hook.name(), hook.threadId(), hook.registrationSite(),
                    CapturedHook.Outcome.TIMED_OUT, hook.duration(), null, hook.startedAtNanos(), hook.endedAtNanos()) : hook;
        }).toList();
        return new Inventory(threads, executors, tasks, outcomes);
    }

    public Inventory killedDuringHooks() {
        List<CapturedHook> outcomes = hooks.stream().map(hook -> {
            boolean stillRunning = hook.outcome() == CapturedHook.Outcome.TIMED_OUT || hook.outcome() == CapturedHook.Outcome.NOT_RUN
                    && threads.stream().anyMatch(t -> t.id() == hook.threadId() && t.alive());
            return stillRunning ? new CapturedHook(hook.name(), hook.threadId(), hook.registrationSite(),
                    CapturedHook.Outcome.TIMED_OUT, hook.duration(), hook.failure(), hook.startedAtNanos(), hook.endedAtNanos()) : hook;
        }).toList();
        return new Inventory(threads, executors, tasks, outcomes);
    }
}
