package dev.gracefulshutdown.internal.judge;

import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation.Kind;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.StackFrames;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.internal.report.ExitCodes;
import dev.gracefulshutdown.internal.report.Finding;
import dev.gracefulshutdown.internal.report.Finding.About;
import dev.gracefulshutdown.internal.text.Frames;
import dev.gracefulshutdown.internal.report.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * From what was captured and what became of it, the list of violations. Pure functions over immutable
 * records: the judge never touches a live thread.
 */
public final class Judge {

    /** How the kit names the executor of work scheduled with {@code CompletableFuture.delayedExecutor}. */
    private static final String DELAYED_EXECUTOR = "CompletableFuture.delayedExecutor(...)";
    private static final String WHEEL_TIMER = "io.netty.util.HashedWheelTimer";
    /** How the kit names a {@code java.util.Timer} a task was scheduled on ("java.util.Timer \"Timer-0\""). */
    private static final String TIMER = "java.util.Timer \"";

    private final Settings settings;
    private final Inventory inventory;
    private final boolean jvmExits;
    private final boolean killedAtGraceEnd;
    private final Map<String, CapturedExecutor> executors;
    private final Map<Long, CapturedThread> threadsById;
    final List<Finding> violations = new ArrayList<>();

    Judge(Settings settings, Inventory inventory, boolean jvmExits, boolean killedAtGraceEnd) {
        this.settings = settings;
        this.inventory = inventory;
        this.jvmExits = jvmExits;
        this.killedAtGraceEnd = killedAtGraceEnd;
        this.executors = inventory.executors().stream()
                .collect(Collectors.toMap(CapturedExecutor::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        this.threadsById = inventory.threads().stream()
                .collect(Collectors.toMap(CapturedThread::id, Function.identity(), (a, b) -> a));
    }

    /**
     * The verdict on a shutdown, simulated (where a grace period that ends is a kill that would happen) or recorded
     * in a forked JVM or a container.
     */
    public static Report judge(Settings settings, Inventory inventory, ShutdownOutcome outcome) {
        Judge judge;
        if (outcome instanceof ShutdownOutcome.KeptAlive keptAlive) {
            judge = new Judge(settings, inventory, false, false);
            judge.threadsKeepingJvmAlive(keptAlive.keepingAlive());
        } else {
            ShutdownOutcome.Halted halted = (ShutdownOutcome.Halted) outcome;
            judge = new Judge(settings, inventory, true, halted.killedAtGraceEnd());
            judge.threadsKilledAtHalt();
            judge.hooks();
        }
        judge.tasks();
        return report(settings, inventory, outcome, judge.violations);
    }

    /**
     * The verdict on a JVM the kit could not record (a container without the kit's agent): of everything the
     * kit judges, only a kill at the end of the grace period, or a JVM that does not exit by itself, is visible
     * from outside.
     */
    public static Report fromOutside(Settings settings, ShutdownOutcome outcome) {
        List<Finding> violations = new ArrayList<>();
        if (outcome instanceof ShutdownOutcome.KeptAlive) {
            violations.add(didNotExit(settings,
                    "which thread, and where it was started, cannot be seen without the kit's agent in the container"));
        } else if (((ShutdownOutcome.Halted) outcome).killedAtGraceEnd()) {
            violations.add(new Finding(Kind.HOOK_TIMEOUT,
                "the application was still shutting down when the grace period of " + Durations.format(settings.gracePeriod())
                        + " ended: it was killed (" + ExitCodes.describe(ExitCodes.SIGKILL) + ")", "",
                "what it was still doing cannot be seen without the kit's agent in the container; a JVM that never "
                        + "received the SIGTERM (a shell as the container's main process) looks the same from outside",
                Hints.HOOK_TIMEOUT, About.NOTHING));
        }
        return report(settings, new Inventory(List.of(), List.of(), List.of(), List.of()), outcome, violations);
    }


    /** A JVM that did not exit within the exit timeout, when the threads that kept it alive cannot be named. */
    static Finding didNotExit(Settings settings, String why) {
        return new Finding(Kind.LINGERING_THREAD, "the application's JVM did not exit within the exit timeout of "
                + Durations.format(settings.exitTimeout()) + ": a non-daemon thread keeps it alive", "", why,
                Hints.LINGERING_POOL, About.NOTHING);
    }

    /** The report on these violations of this inventory (the one place a verdict becomes a report). */
    static Report report(Settings settings, Inventory inventory, ShutdownOutcome outcome, List<Finding> violations) {
        Integer exitStatus = outcome instanceof ShutdownOutcome.Halted halted ? halted.exitStatus() : null;
        return new Report(outcome.trigger(), exitStatus, settings.gracePeriod(), settings.exitTimeout(), violations,
                inventory.threads(), inventory.executors(), inventory.tasks(), inventory.hooks(), outcome.timings());
    }

    // ---- the call shapes of forks and containers, until they pass a ShutdownOutcome ---------------------------

    /**
     * {@link #judge(Settings, Inventory, ShutdownOutcome)} of a simulated shutdown.
     *
     * @param exitStatus the process's exit status, or {@code null} when the JVM never exits
     * @param keepingAlive for a JVM that does not exit: the id of each thread keeping it alive, with the reason
     */
    public static Report judge(ShutdownTrigger trigger, Integer exitStatus, Settings settings, Inventory inventory,
            Map<Long, String> keepingAlive, ShutdownReport.Timings timings) {
        return judge(trigger, exitStatus, settings, inventory, keepingAlive, timings, false);
    }

    /**
     * {@link #judge(Settings, Inventory, ShutdownOutcome)} of a shutdown that happened, in a forked JVM or a container.
     *
     * @param killedAtGraceEnd whether the process was killed ({@code SIGKILL}) because the grace period ended
     */
    public static Report judge(ShutdownTrigger trigger, Integer exitStatus, Settings settings, Inventory inventory,
            Map<Long, String> keepingAlive, ShutdownReport.Timings timings, boolean killedAtGraceEnd) {
        return judge(settings, inventory, outcome(trigger, exitStatus, keepingAlive, killedAtGraceEnd, timings));
    }

    /** {@link #fromOutside(Settings, ShutdownOutcome)}. */
    public static Report fromOutside(ShutdownTrigger trigger, Settings settings, Integer exitStatus,
            boolean gracePeriodExceeded, ShutdownReport.Timings timings) {
        return fromOutside(settings, outcome(trigger, exitStatus, Map.of(), gracePeriodExceeded, timings));
    }


    private static ShutdownOutcome outcome(ShutdownTrigger trigger, Integer exitStatus, Map<Long, String> keepingAlive,
            boolean killedAtGraceEnd, ShutdownReport.Timings timings) {
        return exitStatus == null ? new ShutdownOutcome.KeptAlive(trigger, keepingAlive, timings)
                : new ShutdownOutcome.Halted(trigger, exitStatus, killedAtGraceEnd, timings);
    }

    // ---- threads -------------------------------------------------------------------------------------------

    private void threadsKeepingJvmAlive(Map<Long, String> keepingAlive) {
        Map<String, List<CapturedThread>> byPool = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Map.Entry<Long, String> entry : keepingAlive.entrySet()) {
            CapturedThread thread = inventory.threads().stream().filter(t -> t.id() == entry.getKey())
                    .findFirst().orElse(null);
            if (thread == null) {
                continue;
            }
            String group = thread.executor() != null ? thread.executor() : "thread:" + thread.id();
            byPool.computeIfAbsent(group, g -> new ArrayList<>()).add(thread);
            reasons.putIfAbsent(group, entry.getValue());
        }
        byPool.forEach((group, threads) -> lingering(threads, reasons.get(group)));
    }

    /**
     * At the halt every thread stops where it is. A thread that ran no task the kit tracks (a server's request
     * thread, an event loop, a hand-written pool's worker) lost the work it was doing then, and work the shutdown
     * interrupted or that failed under it is lost too; a thread waiting for work loses nothing.
     */
    void threadsKilledAtHalt() {
        for (CapturedThread thread : inventory.threads()) {
            if (thread.callingExit() || settings.ignores(thread.name())) {
                continue;
            }
            if (thread.role() == CapturedThread.Role.TASK_THREAD) {
                String subject = "task on its own thread \"" + thread.name() + "\"";
                String where = "submitted at " + thread.creationSite();
                About about = About.thread(thread, null, thread.creationSite());
                if (thread.caughtFailure() != null) { // its future kept what it threw during the shutdown
                    violations.add(new Finding(Kind.FAILED_TASK, subject + " failed during the shutdown with "
                            + thread.caughtFailure(), where, caught(thread.caughtFailure(), thread.caughtAt()),
                            Hints.FAILED_ON_ITS_OWN_THREAD, about));
                } else if (thread.alive() && runsApplicationCode(thread)) {
                    violations.add(new Finding(Kind.ABANDONED_TASK, subject + " was still running when the JVM halted", where,
                            atHalt(thread), Hints.ABANDONED, about));
                }
            } else if (thread.runsUsersWork()) {
                workOnThread(thread);
            }
        }
    }

    private void workOnThread(CapturedThread thread) {
        if (coveredByTask(thread)) {
            return; // a pool adapter tracks what it runs: the task's verdict says it, with its submission site
        }
        String subject = "work on " + describe(thread);
        String where = "thread started at " + thread.creationSite() + " by thread \"" + thread.createdBy() + "\"";
        About about = aboutThread(thread);
        if (thread.diedWith() != null && thread.diedDuringShutdown() && cancelledBeforeItBegan(thread.diedWith())) {
            violations.add(new Finding(Kind.DROPPED_TASK, subject + " never ran: it was cancelled before it began ("
                    + thread.diedWith() + ", at " + Frames.thrownAt(thread.diedWith()) + ")", where, "",
                    Hints.CANCELLED_BEFORE_IT_BEGAN, about));
        } else if (thread.diedWith() != null && thread.diedDuringShutdown()) {
            violations.add(new Finding(Kind.FAILED_TASK, subject + " died during the shutdown with " + thread.diedWith()
                    + " (uncaught)", where, "at " + Frames.thrownAt(thread.diedWith()), Hints.FAILED, about));
        } else if (thread.interruptSite() != null) {
            violations.add(new Finding(Kind.INTERRUPTED_TASK, subject + " was interrupted by the shutdown", where,
                    "interrupted by " + thread.interruptSite().where(), Hints.INTERRUPTED_ON_THREAD, about));
        } else if (thread.caughtFailure() != null) {
            violations.add(new Finding(Kind.FAILED_TASK, subject + " failed during the shutdown with "
                    + thread.caughtFailure(), where, caught(thread.caughtFailure(), thread.caughtAt()), Hints.FAILED, about));
        } else if (thread.alive() && thread.activity() == CapturedThread.Activity.WORKING) {
            violations.add(new Finding(Kind.ABANDONED_TASK, subject + " was still running when the JVM halted", where,
                    atHalt(thread), thread.role() == CapturedThread.Role.FRAMEWORK_WORKER ? Hints.ABANDONED_ON_WORKER
                            : Hints.ABANDONED_ON_THREAD, about));
        }
    }

    /**
     * A thread that died of a {@code CancellationException} with none of the user's code on its stack: the library
     * that runs the work refused to start it (Spring's {@code SimpleAsyncTaskExecutor} once closed), so the work
     * never ran, rather than failed.
     */
    private static boolean cancelledBeforeItBegan(Throwable died) {
        return died.toString().startsWith("java.util.concurrent.CancellationException")
                && java.util.Arrays.stream(died.getStackTrace()).noneMatch(StackFrames::isUserFrame);
    }

    /** A thread, with the pool it belongs to when it is a pool's worker, from its creation site. */
    private About aboutThread(CapturedThread thread) {
        return About.thread(thread, thread.executor() == null ? null : executors.get(thread.executor()), thread.creationSite());
    }

    /** A task, with the thread it ran on and the pool it was submitted to, as far as they were recorded. */
    private About aboutTask(CapturedTask task) {
        return About.task(task, task.threadId() == null ? null : threadsById.get(task.threadId()), executors.get(task.executor()));
    }

    /** Whether the task was scheduled on a {@code java.util.Timer}. */
    private static boolean onATimer(CapturedTask task) {
        return task.executor().startsWith(TIMER);
    }

    /** Whether the task was a timeout of Netty's {@code HashedWheelTimer}. */
    private boolean onAWheelTimer(CapturedTask task) {
        CapturedExecutor pool = executors.get(task.executor());
        return pool != null && WHEEL_TIMER.equals(pool.type());
    }

    /** Whether the task ran in a server's or framework's own pool (Tomcat's, Netty's...), not a JDK executor. */
    private boolean inLibraryPool(CapturedTask task) {
        CapturedExecutor pool = executors.get(task.executor());
        return pool != null && pool.library() != null;
    }

    /** Whether a library submitted the task, with none of the user's code on the way (a server dispatching a call). */
    private static boolean submittedByALibrary(CapturedTask task) {
        return task.submissionSite().frames().stream().noneMatch(StackFrames::isUserFrame);
    }

    private boolean coveredByTask(CapturedThread thread) {
        return inventory.tasks().stream().anyMatch(task -> task.threadId() != null && task.threadId() == thread.id()
                && (task.outcome() == CapturedTask.Outcome.RUNNING || task.outcome() == CapturedTask.Outcome.INTERRUPTED));
    }

    private static String describe(CapturedThread thread) {
        return (thread.role() == CapturedThread.Role.FRAMEWORK_WORKER ? "worker thread \"" : (thread.daemon() ? "daemon" : "non-daemon")
                + " thread \"") + thread.name() + "\"";
    }

    /** Where a failure that the task handled itself came from and where it was swallowed. */
    static String caught(Throwable failure, String caughtAt) {
        return "thrown at " + Frames.thrownAt(failure) + ", caught at " + caughtAt
                + " and not rethrown: the work ended as if it had succeeded";
    }

    private void lingering(List<CapturedThread> threads, String reason) {
        CapturedThread first = threads.get(0);
        CapturedExecutor pool = first.executor() == null ? null : executors.get(first.executor());
        String subject = "non-daemon thread \"" + first.name() + "\""
                + (threads.size() > 1 ? " (and " + (threads.size() - 1) + " more of the same pool)" : "")
                + " keeps the JVM alive after main returns";
        List<String> details = new ArrayList<>();
        details.add("why: " + reason);
        String where;
        if (pool != null) {
            where = "pool " + pool.describe() + " created at " + pool.creationSite();
        } else {
            where = "started at " + first.creationSite() + " by thread \"" + first.createdBy() + "\"";
        }
        details.add(atHalt(first));
        String hint;
        if (reason.contains("keep-alive")) {
            hint = Hints.LINGERING_KEEP_ALIVE;
        } else if (reason.contains("java.util.Timer")) {
            hint = Hints.LINGERING_TIMER;
        } else if (first.creationSite().frames().stream().anyMatch(frame -> frame.getClassName().equals(WHEEL_TIMER))) {
            hint = Hints.LINGERING_WHEEL_TIMER;
        } else if (pool != null) {
            hint = Hints.LINGERING_POOL;
        } else {
            hint = Hints.LINGERING_THREAD_MAIN;
        }
        violations.add(new Finding(Kind.LINGERING_THREAD, subject, where, String.join("\n", details), hint,
                About.thread(first, pool, pool != null ? pool.creationSite() : first.creationSite())));
    }

    // ---- hooks ---------------------------------------------------------------------------------------------

    private void hooks() {
        for (CapturedHook hook : inventory.hooks()) {
            String where = "registered at " + hook.registrationSite();
            About about = About.hook(hook, threadsById.get(hook.threadId()));
            switch (hook.outcome()) {
                case TIMED_OUT:
                    violations.add(new Finding(Kind.HOOK_TIMEOUT, "shutdown hook \"" + hook.name()
                            + "\" was still running when the grace period of " + Durations.format(settings.gracePeriod())
                            + " ended: " + (killedAtGraceEnd ? "the JVM was killed (" + ExitCodes.describe(ExitCodes.SIGKILL) + ")"
                                    : "the process would be killed (SIGKILL)"), where,
                            threadState(hook.threadId()), Hints.HOOK_TIMEOUT, about));
                    break;
                case FAILED:
                    violations.add(new Finding(Kind.HOOK_FAILED, "shutdown hook \"" + hook.name() + "\" threw "
                            + hook.failure(), where, "at " + Frames.thrownAt(hook.failure()), Hints.HOOK_FAILED, about));
                    break;
                case CALLED_EXIT:
                    violations.add(new Finding(Kind.EXIT_IN_HOOK, "shutdown hook \"" + hook.name()
                            + "\" called System.exit: a real JVM deadlocks there and hangs until it is killed", where,
                            "", Hints.EXIT_IN_HOOK, about));
                    break;
                default:
                    break;
            }
        }
    }

    // ---- tasks ---------------------------------------------------------------------------------------------

    void tasks() {
        for (CapturedTask task : inventory.tasks()) {
            String subject = "task " + task.description() + " (" + task.id() + ") on " + task.executor();
            String where = "submitted at " + task.submissionSite();
            About about = aboutTask(task);
            switch (task.outcome()) {
                case INTERRUPTED:
                    violations.add(new Finding(Kind.INTERRUPTED_TASK, subject + " was interrupted while running on thread \""
                            + task.thread() + "\"", where, "interrupted by " + interrupter(task),
                            onAWheelTimer(task) ? Hints.WHEEL_TIMER : inLibraryPool(task) ? Hints.INTERRUPTED_ON_THREAD
                                    : Hints.INTERRUPTED, about));
                    break;
                case RUNNING:
                    if (jvmExits && task.thread() == null) { // an HTTP exchange in flight: no thread of its own runs it
                        violations.add(new Finding(Kind.ABANDONED_TASK, subject + " was still in flight when the JVM halted: "
                                + "its response, and what the application chained on its future, never came", "sent at "
                                + task.submissionSite(), "", Hints.EXCHANGE_IN_FLIGHT, about));
                    } else if (jvmExits) {
                        violations.add(new Finding(Kind.ABANDONED_TASK, subject + " was still running on thread \""
                                + task.thread() + "\" when the JVM halted", where, threadState(task.threadId()),
                                onATimer(task) ? Hints.TIMER : onAWheelTimer(task) ? Hints.WHEEL_TIMER
                                        : inLibraryPool(task) || submittedByALibrary(task) ? Hints.ABANDONED_ON_WORKER
                                        : Hints.ABANDONED, about));
                    }
                    break;
                case NEVER_STARTED:
                    if (jvmExits && !task.periodic()) {
                        violations.add(new Finding(Kind.DROPPED_TASK, subject + " was accepted but never started",
                                where, poolState(task), onATimer(task) ? Hints.TIMER : onAWheelTimer(task) ? Hints.WHEEL_TIMER
                                        : DELAYED_EXECUTOR.equals(task.executor()) ? Hints.DROPPED_BY_DELAYER
                                        : inLibraryPool(task) ? Hints.DROPPED_IN_LIBRARY_POOL : Hints.DROPPED, about));
                    }
                    break;
                case FAILED:
                    if (task.duringShutdown()) {
                        // swallowed with no thread of its own: an HTTP exchange, whose listener threw
                        boolean exchange = task.thread() == null && task.caughtAt() != null;
                        violations.add(new Finding(Kind.FAILED_TASK, subject + " failed during the shutdown with "
                                + task.failure(), exchange ? "sent at " + task.submissionSite() : where,
                                task.caughtAt() != null ? caught(task.failure(), task.caughtAt())
                                        : "at " + Frames.thrownAt(task.failure()), exchange ? Hints.EXCHANGE_FAILED : Hints.FAILED, about));
                    }
                    break;
                case DISCARDED:
                    violations.add(new Finding(Kind.DROPPED_TASK, subject + " was thrown away by " + task.discardedBy()
                            + ": it never ran, and nothing was told", where, poolState(task),
                            task.discardedBy().startsWith("shutdown()") ? Hints.DROPPED_BY_SHUTDOWN_POLICY
                                    : onATimer(task) ? Hints.TIMER
                                    : onAWheelTimer(task) ? Hints.WHEEL_TIMER
                                    : inLibraryPool(task) ? Hints.DROPPED_SCHEDULED_IN_LIBRARY_POOL : Hints.DISCARDED, about));
                    break;
                case REJECTED:
                    if (task.duringShutdown()) {
                        violations.add(new Finding(Kind.REJECTED_TASK, subject
                                + " was rejected because the executor was already shut down", where, poolState(task),
                                Hints.REJECTED, about));
                    }
                    break;
                default:
                    break;
            }
        }
    }

    // ---- evidence --------------------------------------------------------------------------------------------

    private String interrupter(CapturedTask task) {
        CapturedExecutor pool = executors.get(task.executor());
        String site = task.interruptSite() == null ? "the shutdown" : task.interruptSite().where();
        if (pool != null && pool.shutdown() == CapturedExecutor.ShutdownState.SHUTDOWN_NOW) {
            return "shutdownNow() at " + (pool.shutdownSite() == null ? site : pool.shutdownSite().where());
        }
        return site;
    }

    private String poolState(CapturedTask task) {
        CapturedExecutor pool = executors.get(task.executor());
        if (pool == null) {
            return "";
        }
        switch (pool.shutdown()) {
            case SHUTDOWN: return "executor shut down at " + pool.shutdownSite();
            case SHUTDOWN_NOW: return "executor shut down with shutdownNow() at " + pool.shutdownSite()
                    + " (it returns the queued tasks instead of running them)";
            default: return "executor never shut down";
        }
    }

    private String atHalt(CapturedThread thread) {
        String when = jvmExits ? "at the halt" : "now";
        if (!thread.alive()) {
            return when + ": ended";
        }
        Optional<StackTraceElement> meaningful = thread.stack().stream().filter(f -> !isParkingMachinery(f)).findFirst();
        return when + ": " + thread.state() + meaningful.map(f -> " in " + Frames.format(f)).orElse("")
                + applicationFrame(thread).filter(f -> meaningful.isEmpty() || !f.equals(meaningful.get()))
                        .map(f -> ", called from " + Frames.format(f)).orElse("");
    }

    private static boolean isParkingMachinery(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.startsWith("jdk.internal.") || type.startsWith("java.util.concurrent.locks.")
                || type.equals("java.lang.Object") || type.equals("java.lang.Thread")
                || type.startsWith("java.util.concurrent.ForkJoinPool");
    }


    private String threadState(Long threadId) {
        CapturedThread thread = threadId == null ? null : threadsById.get(threadId);
        return thread == null ? "" : atHalt(thread);
    }

    /** A thread whose stack holds no application frame any more has finished its own work. */
    private static boolean runsApplicationCode(CapturedThread thread) {
        return applicationFrame(thread).isPresent();
    }

    private static Optional<StackTraceElement> applicationFrame(CapturedThread thread) {
        return thread.stack().stream()
                .filter(StackFrames::isUserFrame).findFirst();
    }

}
