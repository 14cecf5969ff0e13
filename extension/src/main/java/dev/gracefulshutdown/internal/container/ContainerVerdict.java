package dev.gracefulshutdown.internal.container;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.judge.Judge;
import dev.gracefulshutdown.internal.report.Durations;
import dev.gracefulshutdown.internal.report.Report;
import java.time.Duration;
import java.util.Map;

/**
 * The verdict on a container: from what the kit's agent recorded inside it, judged like a forked JVM, or, when
 * there is no recording, from what is seen outside (exit code, timing, kill), marked as coarse and saying why.
 * Pure functions of the evidence and of what Docker reported; nothing here talks to Docker.
 */
public final class ContainerVerdict {

    /** Where the agent records in the container (named in messages). */
    public static final String RECORDING_DIRECTORY = "/tmp/graceful-shutdown-junit";

    private ContainerVerdict() {
    }

    /**
     * After a real {@code docker stop}: {@code SIGTERM}, then {@code SIGKILL} when the grace period ended.
     *
     * @param evidence the agent's recording, or why there is none
     * @param exitCode the container's exit code
     * @param gracePeriodExceeded whether Docker killed it when the grace period ended
     * @param mainProcess the container's main process (PID 1), as its entrypoint and command
     */
    public static ShutdownReport afterDockerStop(Settings settings, String name, AgentEvidence evidence, int exitCode,
            boolean gracePeriodExceeded, String mainProcess, Duration took, String logTail) {
        ShutdownReport.Timings timings = new ShutdownReport.Timings(Duration.ZERO, took, took);
        RealShutdown.Snapshot recorded = evidence.snapshot();
        Report report;
        if (recorded == null) {
            report = Judge.fromOutside(ShutdownTrigger.SIGTERM, settings, exitCode, gracePeriodExceeded, timings);
        } else if (!recorded.shutdownBegun()) {
            report = Judge.shutdownNeverStarted(settings, exitCode, recorded.inventory(), timings, recorded.pid(), mainProcess,
                    gracePeriodExceeded);
        } else {
            Inventory inventory = gracePeriodExceeded ? recorded.inventory().killedDuringHooks() : recorded.inventory();
            report = Judge.judge(ShutdownTrigger.SIGTERM, exitCode, settings, inventory, Map.of(), timings, gracePeriodExceeded);
        }
        return report.withContainer(new ShutdownReport.Container(name, exitCode, gracePeriodExceeded, took, logTail,
                recorded == null ? evidence.whyNoSnapshot(RECORDING_DIRECTORY) : null));
    }

    /**
     * After waiting for the container to exit by itself, the way a batch job's JVM exits once {@code main} has
     * returned and no non-daemon thread is left.
     *
     * @param evidence the agent's recording, or why there is none
     * @param exitedByItself whether it exited within the exit timeout; otherwise the kit killed it
     */
    public static ShutdownReport afterMainReturned(Settings settings, String name, AgentEvidence evidence,
            boolean exitedByItself, int exitCode, Duration took, String logTail) {
        Integer exitStatus = exitedByItself ? exitCode : null;
        ShutdownReport.Timings timings = new ShutdownReport.Timings(took, Duration.ZERO, took);
        RealShutdown.Snapshot recorded = evidence.snapshot();
        String coarseBecause = recorded == null ? evidence.whyNoSnapshot(RECORDING_DIRECTORY) : null;
        Map<Long, String> keepingAlive = exitedByItself || recorded == null ? Map.of() : recorded.inventory().keepingAlive(
                settings::ignores, "still running " + Durations.format(settings.exitTimeout()) + " after the kit began to wait "
                        + "for the container to exit (the exit timeout); the container was killed");
        if (recorded != null && !exitedByItself && keepingAlive.isEmpty()) {
            coarseBecause = whyAliveUnexplained(recorded); // what the agent saw cannot explain it: say so, not "clean"
            recorded = null;
        }
        Report report = recorded == null
                ? Judge.fromOutside(ShutdownTrigger.MAIN_RETURN, settings, exitStatus, false, timings)
                : Judge.judge(ShutdownTrigger.MAIN_RETURN, exitStatus, settings, recorded.inventory(), keepingAlive, timings);
        return report.withContainer(new ShutdownReport.Container(name, exitCode, false, took, logTail, coarseBecause));
    }

    /** The container did not exit, yet no thread the agent recorded keeps its JVM alive: the last snapshot says why. */
    private static String whyAliveUnexplained(RealShutdown.Snapshot recorded) {
        if ("main-returned".equals(recorded.phase())) {
            return "no thread the agent recorded is alive, yet the JVM did not exit after main returned: a non-daemon "
                    + "thread started before the agent (by another agent, or the JVM's own) keeps it alive";
        }
        return "the application's main never returned: the agent's last snapshot (\"" + recorded.phase() + "\") was taken "
                + "while main was still running, so the JVM could not exit";
    }
}
