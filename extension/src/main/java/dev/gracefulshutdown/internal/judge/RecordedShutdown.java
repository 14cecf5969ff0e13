package dev.gracefulshutdown.internal.judge;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.Violation.Kind;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.internal.report.ExitCodes;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.report.Finding;
import dev.gracefulshutdown.internal.report.Report;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The verdict on a JVM that really shut down and recorded itself ({@link RealShutdown}): a forked child or an
 * application in a container. One path for both: what the recording says, read together with what was seen from
 * outside the JVM (how it ended, whether it had to be killed). A pure function, like {@link Judge}.
 */
public final class RecordedShutdown {

    /** Who ran the JVM, stopped it and killed it when it had to, as messages name them. */
    public enum Host {
        /** A forked child of the test JVM ({@code fork = true}): the kit signals and kills its process itself. */
        FORKED_JVM("the forked JVM", "after main returned", "the kit's SIGTERM", "the kit"),
        /** A container of a container check: {@code docker stop} signals its main process, Docker kills it. */
        CONTAINER("the container", "after the kit began to wait for the container to exit", "docker stop's SIGTERM", "Docker");

        private final String name;
        private final String waitedFrom;
        private final String signal;
        private final String killer;

        Host(String name, String waitedFrom, String signal, String killer) {
            this.name = name;
            this.waitedFrom = waitedFrom;
            this.signal = signal;
            this.killer = killer;
        }
    }

    /** How the JVM ended, as seen from outside. */
    public enum Ending {
        /** It exited (by itself, or on the signal) and was not killed. */
        EXITED,
        /** It was killed ({@code SIGKILL}) because the grace period ended. */
        KILLED_AT_GRACE_END,
        /** It did not exit within the exit timeout after {@code main} returned, so it was killed. */
        KILLED_AT_EXIT_TIMEOUT
    }

    /**
     * What was seen outside the recorded JVM.
     *
     * @param host who ran it
     * @param trigger how its shutdown was started
     * @param exitCode its exit code (not reported when it ended {@link Ending#KILLED_AT_EXIT_TIMEOUT}: it never
     *     exited by itself)
     * @param ending whether it exited, or was killed and when
     * @param timings how long the shutdown took, as the caller measured it
     * @param mainProcess in a container: its main process (PID 1), as its entrypoint and command; {@code null}
     *     for a forked JVM, the process the kit signals itself
     */
    public record Outside(Host host, ShutdownTrigger trigger, int exitCode, Ending ending, ShutdownReport.Timings timings,
            String mainProcess) {
    }

    /**
     * The verdict.
     *
     * @param report the report
     * @param unexplainedBecause when the recording cannot explain what was seen outside (a JVM that did not exit,
     *     though no thread the agent recorded kept it alive): why, so that the verdict can be marked as coarse;
     *     {@code null} otherwise
     */
    public record Verdict(Report report, String unexplainedBecause) {
    }

    private RecordedShutdown() {
    }

    /** Judges the last snapshot the JVM recorded of itself, together with how it was seen to end. */
    public static Verdict judge(Settings settings, RealShutdown.Snapshot recorded, Outside outside) {
        Inventory inventory = recorded.inventory();
        ShutdownTrigger trigger = outside.trigger();
        if (outside.ending() == Ending.KILLED_AT_EXIT_TIMEOUT) {
            Map<Long, String> keepingAlive = inventory.keepingAlive(settings::ignores, "still running "
                    + Durations.format(settings.exitTimeout()) + " " + outside.host().waitedFrom + " (the exit timeout); "
                    + outside.host().name + " was killed");
            if (keepingAlive.isEmpty()) {
                // what the agent saw cannot explain it: say so, not "clean"
                String why = whyAliveUnexplained(recorded);
                Judge judge = new Judge(settings, inventory, false, false);
                judge.violations.add(Judge.didNotExit(settings, why));
                judge.tasks();
                return new Verdict(Judge.report(settings, inventory, new ShutdownOutcome.KeptAlive(trigger, Map.of(),
                        outside.timings()), judge.violations), why);
            }
            return new Verdict(Judge.judge(trigger, null, settings, inventory, keepingAlive, outside.timings()), null);
        }
        boolean killed = outside.ending() == Ending.KILLED_AT_GRACE_END;
        if (trigger == ShutdownTrigger.SIGTERM && !recorded.shutdownBegun()) {
            return new Verdict(shutdownNeverStarted(settings, recorded, outside, killed), null);
        }
        return new Verdict(Judge.judge(trigger, outside.exitCode(), settings,
                killed ? inventory.killedDuringHooks() : inventory.overrunning(settings.gracePeriod()), Map.of(),
                outside.timings(), killed), null);
    }

    /**
     * A JVM that, after {@code SIGTERM}, never began its shutdown: the cause first, then the work that died with the
     * JVM, whose usual fixes would not help before the cause is fixed.
     */
    private static Report shutdownNeverStarted(Settings settings, RealShutdown.Snapshot recorded, Outside outside,
            boolean killed) {
        Inventory inventory = recorded.inventory();
        Host host = outside.host();
        Judge judge = new Judge(settings, inventory, true, killed);
        int hooks = inventory.hooks().size();
        String hooksNeverRan = hooks == 0 ? "nothing of its shutdown path ran"
                : "its shutdown hook" + (hooks == 1 ? " " : "s ") + inventory.hooks().stream()
                        .map(hook -> "\"" + hook.name() + "\"").collect(Collectors.joining(", ")) + " never ran";
        String subject = killed
                ? "the JVM never began its shutdown: " + host.signal + " did not start it, and " + host.killer
                        + " killed it (" + ExitCodes.describe(ExitCodes.SIGKILL) + ") when the grace period of "
                        + Durations.format(settings.gracePeriod()) + " ended; " + hooksNeverRan
                : "the JVM ended on SIGTERM (exit code " + outside.exitCode() + ") without beginning its shutdown; "
                        + hooksNeverRan;
        String where;
        String hint;
        if (outside.mainProcess() == null) {
            where = "the kit sends SIGTERM to " + host.name + "'s own process, so the signal reached it: something in it "
                    + "took SIGTERM without exiting";
            hint = Hints.SIGTERM_TAKEN;
        } else if (recorded.pid() == 1) {
            where = "the JVM is the container's main process (PID 1), so the signal reached it: something in it took "
                    + "SIGTERM without exiting";
            hint = Hints.SIGTERM_TAKEN;
        } else {
            where = "the JVM is PID " + recorded.pid() + " in the container, not its main process: PID 1 is "
                    + outside.mainProcess() + ", which does not pass SIGTERM on";
            hint = Hints.SIGTERM_NOT_PASSED_ON;
        }
        judge.violations.add(new Finding(Kind.SHUTDOWN_NEVER_STARTED, subject, where, "", hint, Finding.About.NOTHING));
        int cause = judge.violations.size();
        judge.threadsKilledAtHalt();
        judge.tasks();
        for (int i = cause; i < judge.violations.size(); i++) {
            judge.violations.set(i, judge.violations.get(i).withHint(Hints.NO_SHUTDOWN_PATH_RAN));
        }
        return Judge.report(settings, inventory, new ShutdownOutcome.Halted(ShutdownTrigger.SIGTERM, outside.exitCode(), killed,
                outside.timings()), judge.violations);
    }

    /** The JVM did not exit, yet no thread the agent recorded keeps it alive: the last snapshot says why. */
    private static String whyAliveUnexplained(RealShutdown.Snapshot recorded) {
        if (recorded.shutdownBegun()) {
            return "the JVM began its shutdown (the agent's last snapshot is \"" + recorded.phase().word() + "\") but did not "
                    + "end within the exit timeout: its shutdown hooks were still running";
        }
        if (recorded.phase() == RealShutdown.Moment.MAIN_RETURNED) {
            return "no thread the agent recorded is alive, yet the JVM did not exit after main returned: a non-daemon "
                    + "thread started before the agent (by another agent, or the JVM's own) keeps it alive";
        }
        return "the application's main never returned: the agent's last snapshot (\"" + recorded.phase().word() + "\") was taken "
                + "while main was still running, so the JVM could not exit";
    }
}
