package dev.gracefulshutdown.internal.container;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.judge.Judge;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.judge.RecordedShutdown;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Ending;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Host;
import dev.gracefulshutdown.internal.report.Report;
import java.time.Duration;

/**
 * The verdict on a container: from what the kit's agent recorded inside it, judged by {@link RecordedShutdown}
 * like a forked JVM, or, when there is no recording, from what is seen outside (exit code, timing, kill), marked as coarse and saying why.
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
        RealShutdown.Snapshot recorded = evidence.snapshot();
        ShutdownReport.Timings timings = recorded == null ? new ShutdownReport.Timings(Duration.ZERO, took, took)
                : recorded.timings(took, took, ShutdownTrigger.SIGTERM); // the timeline's trigger and halt marks
        Report report;
        if (recorded == null) {
            report = Judge.fromOutside(ShutdownTrigger.SIGTERM, settings, exitCode, gracePeriodExceeded, timings);
        } else {
            report = RecordedShutdown.judge(settings, recorded, new RecordedShutdown.Outside(Host.CONTAINER,
                    ShutdownTrigger.SIGTERM, exitCode, gracePeriodExceeded ? Ending.KILLED_AT_GRACE_END : Ending.EXITED,
                    timings, mainProcess)).report();
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
        RealShutdown.Snapshot recorded = evidence.snapshot();
        ShutdownReport.Timings marks = recorded == null ? null : recorded.timings(Duration.ZERO, took, ShutdownTrigger.MAIN_RETURN);
        ShutdownReport.Timings timings = new ShutdownReport.Timings(took, Duration.ZERO, took,
                marks == null ? null : marks.triggeredAt(), marks == null ? null : marks.haltedAt());
        Report report;
        String coarseBecause;
        if (recorded == null) {
            report = Judge.fromOutside(ShutdownTrigger.MAIN_RETURN, settings, exitedByItself ? exitCode : null, false, timings);
            coarseBecause = evidence.whyNoSnapshot(RECORDING_DIRECTORY);
        } else {
            RecordedShutdown.Verdict verdict = RecordedShutdown.judge(settings, recorded, new RecordedShutdown.Outside(
                    Host.CONTAINER, ShutdownTrigger.MAIN_RETURN, exitCode,
                    exitedByItself ? Ending.EXITED : Ending.KILLED_AT_EXIT_TIMEOUT, timings, null));
            report = verdict.report();
            coarseBecause = verdict.unexplainedBecause();
        }
        return report.withContainer(new ShutdownReport.Container(name, exitCode, false, took, logTail, coarseBecause));
    }
}
