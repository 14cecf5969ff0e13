package dev.gracefulshutdown.internal.simulate;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.Uninterruptibly;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.LiveHook;
import dev.gracefulshutdown.internal.capture.LiveThread;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.capture.ThreadActivity;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.judge.Judge;
import dev.gracefulshutdown.internal.judge.ShutdownOutcome;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's shutdown sequence, in the order {@code java.lang.Shutdown} runs it, on the thread that triggers
 * it (as the JVM runs it on the thread that calls {@code exit}, or on its signal handler thread):
 *
 * <ol>
 *   <li>{@code MAIN_RETURN} only: wait until no non-daemon thread of the application is alive
 *       ({@code DestroyJavaVM}). A thread that never ends means the JVM never exits: the verdict is taken
 *       there, and hooks never run.</li>
 *   <li>Start every registered hook, each on its own thread, all at once; join them all. The grace period
 *       bounds this: past it, an orchestrator kills the process ({@code SIGKILL}).</li>
 *   <li>Halt: every thread still running, daemon or not, stops where it is. Its state there is the
 *       verdict's evidence.</li>
 * </ol>
 */
final class ShutdownSequence {

    private static final long POLL_MILLIS = 10;
    private static final long SETTLE_MILLIS = 100;

    private final Scope scope;
    private final Settings settings;
    /** Exploration only: the hooks' positions to start one after another; {@code null}: all at once, as the JVM does. */
    private final List<Integer> hookOrder;

    ShutdownSequence(Scope scope, Settings settings, List<Integer> hookOrder) {
        this.scope = scope;
        this.settings = settings;
        this.hookOrder = hookOrder;
    }

    ShutdownReport run(ShutdownTrigger trigger, int status) {
        long start = System.nanoTime();
        Duration waitedForThreads = Duration.ZERO;

        if (trigger == ShutdownTrigger.MAIN_RETURN) {
            Map<Thread, String> keepingAlive = new Termination(scope, settings).awaitNonDaemonThreads();
            waitedForThreads = Duration.ofNanos(System.nanoTime() - start);
            if (!keepingAlive.isEmpty()) {
                scope.halt(); // the JVM would never get further: the verdict is taken now
                long verdict = System.nanoTime();
                Inventory inventory = scope.snapshot(List.of(), Set.of(), verdict);
                Map<Long, String> byId = new java.util.LinkedHashMap<>();
                keepingAlive.forEach((thread, reason) -> byId.put(thread.getId(), reason));
                return Judge.judge(settings, inventory, new ShutdownOutcome.KeptAlive(trigger, byId,
                        timings(waitedForThreads, Duration.ZERO, start, verdict)));
            }
        }

        List<LiveHook> hooks = scope.hooksToRun();
        long hooksStart = System.nanoTime();
        Set<LiveHook> timedOut;
        if (hookOrder == null) {
            for (LiveHook hook : hooks) {
                hook.started();
                hook.thread().start();
            }
            timedOut = joinHooks(hooks, hooksStart + settings.gracePeriod().toNanos());
        } else {
            hooks = inOrder(hooks);
            timedOut = runOneAfterAnother(hooks, hooksStart + settings.gracePeriod().toNanos());
            hooks = hooks.stream().filter(hook -> hook.startedNanos() != 0).toList(); // the rest never ran
        }
        Duration hooksTook = Duration.ofNanos(System.nanoTime() - hooksStart);

        scope.adoptSharedThreadsWorkingForIt();
        settleThreadsBetweenStartAndWork();
        scope.awaitFailuresLeavingTheirWorkers(TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
        scope.halt();
        long halt = System.nanoTime();
        Inventory inventory = scope.snapshot(hooks, timedOut, halt);
        return Judge.judge(settings, inventory, new ShutdownOutcome.Halted(trigger, status,
                timings(waitedForThreads, hooksTook, start, halt)));
    }

    /** {@code Runtime.halt} from code under test: no hooks, the JVM stops at once. */
    ShutdownReport haltNow(int status) {
        long start = System.nanoTime();
        scope.adoptSharedThreadsWorkingForIt();
        scope.halt();
        long halt = System.nanoTime();
        Inventory inventory = scope.snapshot(List.of(), Set.of(), halt);
        return Judge.judge(settings, inventory, new ShutdownOutcome.Halted(ShutdownTrigger.EXIT, status,
                timings(Duration.ZERO, Duration.ZERO, start, halt)));
    }

    /** The phases' durations, and the trigger and the halt on the clock of the captured moments (the timeline's marks). */
    private ShutdownReport.Timings timings(Duration waitedForThreads, Duration hooksTook, long start, long halt) {
        long triggered = scope.shutdownStartedNanos() == 0 ? start : Math.min(start, scope.shutdownStartedNanos());
        return new ShutdownReport.Timings(waitedForThreads, hooksTook, Duration.ofNanos(System.nanoTime() - start),
                Duration.ofNanos(scope.sinceOpened(triggered)), Duration.ofNanos(scope.sinceOpened(halt)));
    }

    /**
     * A thread started a moment before the halt may not have reached its code yet, and one that just finished may
     * not have ended yet: both show only the thread machinery on their stacks. Each gets a few milliseconds (at most
     * {@value #SETTLE_MILLIS} ms in all) to show which it is, so that the work it was about to do is not taken for a
     * thread waiting for work.
     */
    private void settleThreadsBetweenStartAndWork() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        for (LiveThread live : scope.threads()) {
            while (ThreadActivity.inThreadMachinery(live.thread()) && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Exploration: the hooks in the order asked for; those it does not name keep their place after it. */
    private List<LiveHook> inOrder(List<LiveHook> registered) {
        List<LiveHook> ordered = new java.util.ArrayList<>();
        for (int position : hookOrder) {
            if (position >= 1 && position <= registered.size() && !ordered.contains(registered.get(position - 1))) {
                ordered.add(registered.get(position - 1));
            }
        }
        registered.stream().filter(hook -> !ordered.contains(hook)).forEach(ordered::add);
        return ordered;
    }

    /**
     * Exploration: each hook starts once the one before it has ended, an order the JVM's concurrent start can give. A
     * hook still running at the end of the grace period means the process is killed: the hooks after it never start.
     */
    private Set<LiveHook> runOneAfterAnother(List<LiveHook> hooks, long deadline) {
        for (LiveHook hook : hooks) {
            hook.started();
            hook.thread().start();
            Set<LiveHook> timedOut = joinHooks(List.of(hook), deadline);
            if (!timedOut.isEmpty() || scope.phase() == Scope.Phase.HALTED) {
                return timedOut;
            }
        }
        return Set.of();
    }

    /** Joins every hook, as {@code ApplicationShutdownHooks.runHooks} does, until the grace period ends. */
    private Set<LiveHook> joinHooks(List<LiveHook> hooks, long deadline) {
        while (true) {
            Set<LiveHook> running = new LinkedHashSet<>();
            for (LiveHook hook : hooks) {
                if (hook.thread().isAlive()) {
                    running.add(hook);
                } else {
                    hook.ended();
                }
            }
            // A hook that called System.exit never ends in a real JVM; the others still get their time.
            running.removeIf(LiveHook::calledExit);
            if (running.isEmpty() || scope.phase() == Scope.Phase.HALTED) {
                return Set.of();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return running;
            }
            // the JVM ignores interrupts while it joins hooks
            Uninterruptibly.join(running.iterator().next().thread(),
                    Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), remaining), TimeUnit.NANOSECONDS);
        }
    }
}
