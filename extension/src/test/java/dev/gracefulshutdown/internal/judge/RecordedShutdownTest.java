package dev.gracefulshutdown.internal.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.Violation.Kind;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Ending;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Host;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Outside;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Verdict;
import dev.gracefulshutdown.internal.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one verdict on a JVM that recorded its own shutdown, forked or in a container, on hand-made snapshots: no JVM
 * is started, no file is read.
 */
class RecordedShutdownTest {

    private static final Settings SIGTERM = Settings.forContainer(ShutdownTrigger.SIGTERM, Duration.ofSeconds(2),
            Duration.ofSeconds(10), List.of());
    private static final Settings MAIN_RETURN = Settings.forContainer(ShutdownTrigger.MAIN_RETURN, Duration.ofSeconds(30),
            Duration.ofSeconds(3), List.of());
    private static final String SHELL = "`/bin/sh -c java -jar app.jar`";

    // ---- SIGTERM: the shutdown never began ------------------------------------------------------------------

    @Test
    void aForkedJvmThatNeverBeganItsShutdownIsShutdownNeverStartedLikeAContainer() {
        Verdict verdict = afterSigterm(Host.FORKED_JVM, snapshot("ready", 4242, hook(CapturedHook.Outcome.NOT_RUN)), 137,
                Ending.KILLED_AT_GRACE_END, null);

        Violation cause = verdict.report().violations().get(0);
        assertThat(cause.kind()).isEqualTo(Kind.SHUTDOWN_NEVER_STARTED);
        assertThat(cause.subject()).isEqualTo("the JVM never began its shutdown: the kit's SIGTERM did not start it, and "
                + "the kit killed it (SIGKILL, exit code 137) when the grace period of 2 s ended; its shutdown hook "
                + "\"export-shutdown\" never ran");
        assertThat(cause.where()).isEqualTo("the kit sends SIGTERM to the forked JVM's own process, so the signal reached "
                + "it: something in it took SIGTERM without exiting");
        assertThat(cause.hint()).isEqualTo(Hints.SIGTERM_TAKEN);
        assertThat(verdict.unexplainedBecause()).isNull();
    }

    @Test
    void aContainersJvmBehindAShellThatNeverBeganItsShutdownWasNotPassedTheSignal() {
        Verdict verdict = afterSigterm(Host.CONTAINER, snapshot("running", 6), 137, Ending.KILLED_AT_GRACE_END, SHELL);

        Violation cause = verdict.report().violations().get(0);
        assertThat(cause.subject()).isEqualTo("the JVM never began its shutdown: docker stop's SIGTERM did not start it, "
                + "and Docker killed it (SIGKILL, exit code 137) when the grace period of 2 s ended; nothing of its "
                + "shutdown path ran");
        assertThat(cause.where()).isEqualTo("the JVM is PID 6 in the container, not its main process: PID 1 is " + SHELL
                + ", which does not pass SIGTERM on");
        assertThat(cause.hint()).isEqualTo(Hints.SIGTERM_NOT_PASSED_ON);
    }

    @Test
    void aContainersJvmAsPid1ThatNeverBeganItsShutdownTookTheSignal() {
        Violation cause = afterSigterm(Host.CONTAINER, snapshot("running", 1), 137, Ending.KILLED_AT_GRACE_END, SHELL)
                .report().violations().get(0);

        assertThat(cause.where()).startsWith("the JVM is the container's main process (PID 1)");
        assertThat(cause.hint()).isEqualTo(Hints.SIGTERM_TAKEN);
    }

    @Test
    void aJvmThatEndedOnSigtermWithoutItsShutdownSaysSo() {
        ShutdownReport report = afterSigterm(Host.CONTAINER, snapshot("running", 1), 143, Ending.EXITED, SHELL).report();

        assertThat(report.violations().get(0).subject()).isEqualTo("the JVM ended on SIGTERM (exit code 143) without "
                + "beginning its shutdown; nothing of its shutdown path ran");
        assertThat(report.exitStatus()).contains(143);
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void theWorkLostWhenTheShutdownNeverBeganPointsAtTheCauseFirst(Host host) {
        ShutdownReport report = afterSigterm(host, snapshot("ready", 1, taskThread()), 137, Ending.KILLED_AT_GRACE_END,
                host == Host.CONTAINER ? SHELL : null).report();

        assertThat(report.violations()).extracting(Violation::kind)
                .containsExactly(Kind.SHUTDOWN_NEVER_STARTED, Kind.ABANDONED_TASK);
        assertThat(report.violations().get(1).hint()).isEqualTo(Hints.NO_SHUTDOWN_PATH_RAN);
    }

    @Test
    void onlySigtermCanBeTakenWithoutAShutdown() {
        ShutdownReport report = RecordedShutdown.judge(settings(ShutdownTrigger.EXIT), snapshot("exiting", 1),
                new Outside(Host.FORKED_JVM, ShutdownTrigger.EXIT, 137, Ending.KILLED_AT_GRACE_END, timings(), null)).report();

        assertThat(report.violationKinds()).doesNotContain(Kind.SHUTDOWN_NEVER_STARTED);
    }

    // ---- SIGTERM: the shutdown ran ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Host.class)
    void hooksStillRunningWhenTheJvmWasKilledTimedOut(Host host) {
        ShutdownReport report = afterSigterm(host, snapshot("shutdown", 1, hook(CapturedHook.Outcome.NOT_RUN)), 137,
                Ending.KILLED_AT_GRACE_END, SHELL).report();

        assertThat(report.violationKinds()).containsExactly(Kind.HOOK_TIMEOUT);
        assertThat(report.violations().get(0).subject()).isEqualTo("shutdown hook \"export-shutdown\" was still running "
                + "when the grace period of 2 s ended: the JVM was killed (SIGKILL, exit code 137)");
        assertThat(report.exitStatus()).contains(137);
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void aShutdownThatCompletedIsClean(Host host) {
        ShutdownReport report = afterSigterm(host, snapshot("halt", 1, hook(CapturedHook.Outcome.COMPLETED)), 143,
                Ending.EXITED, SHELL).report();

        assertThat(report.violations()).isEmpty();
        assertThat(report.exitStatus()).contains(143);
        assertThat(report.hooks()).hasSize(1);
    }

    @Test
    void workCutOffByTheRealHaltIsAbandoned() {
        ShutdownReport report = afterSigterm(Host.FORKED_JVM, snapshot("halt", 1, taskThread()), 143, Ending.EXITED, null)
                .report();

        assertThat(report.violationKinds()).containsExactly(Kind.ABANDONED_TASK);
        assertThat(report.violations().get(0).hint()).isEqualTo(Hints.ABANDONED);
    }

    // ---- main returned ---------------------------------------------------------------------------------------

    @Test
    void aForkedJvmKeptAliveByAWorkerIsLingeringWithTheKitsWords() {
        Verdict verdict = afterExitTimeout(Host.FORKED_JVM, snapshot("main-returned", 1, worker()));

        assertThat(verdict.report().violationKinds()).containsExactly(Kind.LINGERING_THREAD);
        assertThat(verdict.report().violations().get(0).details()).contains("why: still running 3 s after main returned "
                + "(the exit timeout); the forked JVM was killed");
        assertThat(verdict.report().jvmExits()).isFalse();
        assertThat(verdict.unexplainedBecause()).isNull();
    }

    @Test
    void aContainerKeptAliveByAWorkerIsLingeringWithDockersWords() {
        Verdict verdict = afterExitTimeout(Host.CONTAINER, snapshot("main-returned", 1, worker()));

        assertThat(verdict.report().violations().get(0).details()).contains("why: still running 3 s after the kit began "
                + "to wait for the container to exit (the exit timeout); the container was killed");
    }

    @Test
    void anIgnoredThreadDoesNotKeepTheJvmAliveInTheVerdict() {
        Settings ignoring = Settings.forContainer(ShutdownTrigger.MAIN_RETURN, Duration.ofSeconds(30), Duration.ofSeconds(3),
                List.of(Pattern.compile("pool-1-.*")));
        Verdict verdict = RecordedShutdown.judge(ignoring, snapshot("main-returned", 1, worker()), new Outside(
                Host.FORKED_JVM, ShutdownTrigger.MAIN_RETURN, 137, Ending.KILLED_AT_EXIT_TIMEOUT, timings(), null));

        assertThat(verdict.report().violations()).extracting(Violation::subject).noneMatch(s -> s.contains("pool-1"));
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void aJvmAliveThatNoRecordedThreadExplainsIsLingeringAndSaysWhy(Host host) {
        Verdict verdict = afterExitTimeout(host, snapshot("main-returned", 1));

        assertThat(verdict.report().violationKinds()).containsExactly(Kind.LINGERING_THREAD);
        assertThat(verdict.unexplainedBecause()).contains("a non-daemon thread started before the agent");
        assertThat(verdict.report().violations().get(0).details()).isEqualTo(verdict.unexplainedBecause());
        assertThat(verdict.report().violations().get(0).subject()).isEqualTo("the application's JVM did not exit within "
                + "the exit timeout of 3 s: a non-daemon thread keeps it alive");
    }

    @Test
    void aMainThatNeverReturnedIsTheCauseOnlyWhenTheSnapshotWasTakenBeforeItReturned() {
        assertThat(afterExitTimeout(Host.CONTAINER, snapshot("running", 1)).unexplainedBecause())
                .startsWith("the application's main never returned: the agent's last snapshot (\"running\")");
    }

    @Test
    void aJvmThatBeganItsShutdownButDidNotEndIsNotSaidToHaveAMainThatNeverReturned() {
        assertThat(afterExitTimeout(Host.CONTAINER, snapshot("shutdown", 1)).unexplainedBecause())
                .startsWith("the JVM began its shutdown").doesNotContain("main never returned");
    }

    @Test
    void tasksAreJudgedEvenWhenWhatKeptTheJvmAliveIsUnexplained() {
        Verdict verdict = afterExitTimeout(Host.FORKED_JVM, snapshot("main-returned", 1, interruptedTask()));

        assertThat(verdict.report().violationKinds()).containsExactlyInAnyOrder(Kind.LINGERING_THREAD, Kind.INTERRUPTED_TASK);
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void aJvmThatExitedByItselfIsJudgedAtItsHalt(Host host) {
        ShutdownReport report = RecordedShutdown.judge(MAIN_RETURN, snapshot("halt", 1, worker()),
                new Outside(host, ShutdownTrigger.MAIN_RETURN, 0, Ending.EXITED, timings(), null)).report();

        assertThat(report.violations()).isEmpty();
        assertThat(report.exitStatus()).contains(0);
        assertThat(report.trigger()).isEqualTo(ShutdownTrigger.MAIN_RETURN);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Verdict afterSigterm(Host host, RealShutdown.Snapshot snapshot, int exitCode, Ending ending,
            String mainProcess) {
        return RecordedShutdown.judge(SIGTERM, snapshot, new Outside(host, ShutdownTrigger.SIGTERM, exitCode, ending,
                timings(), host == Host.CONTAINER ? mainProcess : null));
    }

    private static Verdict afterExitTimeout(Host host, RealShutdown.Snapshot snapshot) {
        return RecordedShutdown.judge(MAIN_RETURN, snapshot, new Outside(host, ShutdownTrigger.MAIN_RETURN, 137,
                Ending.KILLED_AT_EXIT_TIMEOUT, timings(), null));
    }

    private static Settings settings(ShutdownTrigger trigger) {
        return Settings.forContainer(trigger, Duration.ofSeconds(2), Duration.ofSeconds(10), List.of());
    }

    private static ShutdownReport.Timings timings() {
        return new ShutdownReport.Timings(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(100));
    }

    /** A snapshot as a JVM takes it of itself: threads, tasks and hooks, with a hook's thread for each hook. */
    private static RealShutdown.Snapshot snapshot(String phase, long pid, Object... items) {
        List<CapturedThread> threads = new ArrayList<>();
        List<CapturedTask> tasks = new ArrayList<>();
        List<CapturedHook> hooks = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof CapturedThread thread) {
                threads.add(thread);
            } else if (item instanceof CapturedTask task) {
                tasks.add(task);
            } else {
                CapturedHook hook = (CapturedHook) item;
                hooks.add(hook);
                boolean running = hook.outcome() == CapturedHook.Outcome.NOT_RUN && !"running".equals(phase)
                        && !"ready".equals(phase);
                threads.add(new CapturedThread(hook.name(), hook.threadId(), false, false, CapturedThread.Role.HOOK, null,
                        "main", site(), running ? Thread.State.TIMED_WAITING : Thread.State.TERMINATED, List.of(), false,
                        CapturedThread.Activity.WORKING, null, null, null, null, false));
            }
        }
        return new RealShutdown.Snapshot(RealShutdown.Moment.of(phase), pid, new Inventory(threads, List.of(), tasks, hooks));
    }

    private static CapturedHook hook(CapturedHook.Outcome outcome) {
        return new CapturedHook("export-shutdown", 40, site(), outcome, Duration.ofMillis(10), null);
    }

    private static CapturedThread worker() {
        return new CapturedThread("pool-1-thread-1", 30, false, false, CapturedThread.Role.POOL_WORKER, null, "main", site(),
                Thread.State.WAITING, List.of(new StackTraceElement("java.util.concurrent.LinkedBlockingQueue", "take",
                        "LinkedBlockingQueue.java", 435)), false, CapturedThread.Activity.IDLE, null, null, null, null, false);
    }

    /** A thread-per-task executor's thread, in the user's code when the JVM halted. */
    private static CapturedThread taskThread() {
        return new CapturedThread("virtual-task-1", 31, true, false, CapturedThread.Role.TASK_THREAD, null, "main", site(),
                Thread.State.TIMED_WAITING, List.of(new StackTraceElement("java.lang.Thread", "sleep", "Thread.java", 509),
                        new StackTraceElement("com.example.Export", "write", "Export.java", 33)), false,
                CapturedThread.Activity.WORKING, null, null, null, null, false);
    }

    private static CapturedTask interruptedTask() {
        return new CapturedTask("task#1", "Export::write", "ThreadPoolExecutor#1", site(), CapturedTask.Outcome.INTERRUPTED,
                "pool-1-thread-1", 30L, null, site(), true, false, null, null);
    }

    private static CallSite site() {
        return new CallSite(List.of(new StackTraceElement("com.example.App", "main", "App.java", 12)));
    }
}
