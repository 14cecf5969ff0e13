package dev.gracefulshutdown.internal.container;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.judge.Judge;
import dev.gracefulshutdown.internal.report.Durations;
import dev.gracefulshutdown.internal.simulate.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The verdict on a container: from what the kit's agent recorded inside it, judged like a forked JVM, or, when
 * there is no recording, from what is seen outside (exit code, timing, kill), marked as coarse.
 */
public final class ContainerVerdict {

    private static final int KILLED = 137;

    private ContainerVerdict() {
    }

    /**
     * After a real {@code docker stop}: {@code SIGTERM}, then {@code SIGKILL} when the grace period ended.
     *
     * @param mainProcess the container's main process (PID 1), as its entrypoint and command
     * @param recorded the agent's last snapshot, or {@code null}
     * @param noRecordingBecause why there is no snapshot; ignored when there is one
     */
    public static ShutdownReport afterDockerStop(Settings settings, String name, String mainProcess, int exitCode,
            Duration took, String logTail, RealShutdown.Snapshot recorded, String noRecordingBecause) {
        boolean gracePeriodExceeded = exitCode == KILLED && took.compareTo(settings.gracePeriod()) >= 0;
        ShutdownReport.Timings timings = new ShutdownReport.Timings(Duration.ZERO, took, took);
        ShutdownReport report;
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
                recorded == null ? noRecordingBecause : null));
    }

    /**
     * After waiting for the container to exit by itself, the way a batch job's JVM exits once {@code main} has
     * returned and no non-daemon thread is left.
     *
     * @param exitedByItself whether it exited within the exit timeout; otherwise the kit killed it
     * @param recorded the agent's last snapshot, or {@code null}
     * @param noRecordingBecause why there is no snapshot; ignored when there is one
     */
    public static ShutdownReport afterMainReturned(Settings settings, String name, boolean exitedByItself, int exitCode,
            Duration took, String logTail, RealShutdown.Snapshot recorded, String noRecordingBecause) {
        Integer exitStatus = exitedByItself ? exitCode : null;
        ShutdownReport.Timings timings = new ShutdownReport.Timings(took, Duration.ZERO, took);
        Map<Long, String> keepingAlive = exitedByItself || recorded == null ? Map.of() : recorded.inventory().keepingAlive(
                settings::ignores, "still running " + Durations.format(settings.exitTimeout()) + " after the kit began to wait "
                        + "for the container to exit (the exit timeout); the container was killed");
        if (recorded != null && !exitedByItself && keepingAlive.isEmpty()) {
            recorded = null; // what the agent saw cannot explain it: say so rather than call it clean
            noRecordingBecause = "no thread the agent recorded is alive: the JVM is kept alive by its main thread (main never "
                    + "returned) or by a thread started before the agent";
        }
        ShutdownReport report = recorded == null
                ? Judge.fromOutside(ShutdownTrigger.MAIN_RETURN, settings, exitStatus, false, timings)
                : Judge.judge(ShutdownTrigger.MAIN_RETURN, exitStatus, settings, recorded.inventory(), keepingAlive, timings);
        return report.withContainer(new ShutdownReport.Container(name, exitCode, false, took, logTail,
                recorded == null ? noRecordingBecause : null));
    }
}
