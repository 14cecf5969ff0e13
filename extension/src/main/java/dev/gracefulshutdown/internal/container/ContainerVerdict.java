package dev.gracefulshutdown.internal.container;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.judge.Judge;
import dev.gracefulshutdown.internal.simulate.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The verdict on a container after a real {@code docker stop}: from what the kit's agent recorded inside it,
 * judged like a forked JVM, or, when there is no recording, from what is seen outside (exit code, timing,
 * kill), marked as coarse.
 */
public final class ContainerVerdict {

    private static final int KILLED = 137;

    private ContainerVerdict() {
    }

    /**
     * @param recorded the agent's last snapshot, or {@code null}
     * @param noRecordingBecause why there is no snapshot; ignored when there is one
     */
    public static ShutdownReport judge(Settings settings, String name, int exitCode,
            Duration stopTook, String logTail, RealShutdown.Snapshot recorded, String noRecordingBecause) {
        boolean gracePeriodExceeded = exitCode == KILLED && stopTook.compareTo(settings.gracePeriod()) >= 0;
        ShutdownReport.Timings timings = new ShutdownReport.Timings(Duration.ZERO, stopTook, stopTook);
        if (recorded == null) {
            return Judge.fromOutside(settings, exitCode, gracePeriodExceeded, timings).withContainer(
                    new ShutdownReport.Container(name, exitCode, gracePeriodExceeded, stopTook, logTail, noRecordingBecause));
        }
        Inventory inventory = gracePeriodExceeded ? recorded.inventory().killedDuringHooks() : recorded.inventory();
        return Judge.judge(ShutdownTrigger.SIGTERM, exitCode, settings, inventory, Map.of(), timings).withContainer(
                new ShutdownReport.Container(name, exitCode, gracePeriodExceeded, stopTook, logTail, null));
    }
}
