package dev.gracefulshutdown.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation.Kind;
import dev.gracefulshutdown.internal.capture.Inventory;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.capture.RecordingFormat;
import dev.gracefulshutdown.internal.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The container verdict without Docker: every branch, from recordings written with the kit's writer (or by hand)
 * and read back the way the container check reads what it copied out.
 */
class ContainerVerdictTest {

    private static final Settings SIGTERM = Settings.forContainer(ShutdownTrigger.SIGTERM, Duration.ofSeconds(2),
            Duration.ofSeconds(10), List.of());
    private static final Settings MAIN_RETURN = Settings.forContainer(ShutdownTrigger.MAIN_RETURN, Duration.ofSeconds(30),
            Duration.ofSeconds(3), List.of());
    private static final String SHELL = "`/bin/sh -c java -jar app.jar`";

    // ---- docker stop: no recording --------------------------------------------------------------------------

    @Test
    void withoutTheAgentTheVerdictIsCoarseAndSaysSo() {
        ShutdownReport report = afterDockerStop(AgentEvidence.withoutAgent(), 137, true, SHELL);

        assertThat(report.violationKinds()).containsExactly(Kind.HOOK_TIMEOUT);
        assertThat(coarseBecause(report)).isEqualTo("no agent in the container (ContainerShutdown.withoutAgent)");
    }

    @Test
    void anAgentThatNeverLoadedIsNamedNotAJvmThatNeverStartedItsHooks() {
        ShutdownReport report = afterDockerStop(evidence(null, null, false), 143, false, SHELL);

        assertThat(report.violations()).isEmpty();
        assertThat(coarseBecause(report)).startsWith("the kit's agent never loaded: no JVM in the container picked up "
                + "JAVA_TOOL_OPTIONS").doesNotContain("shutdown hooks");
    }

    @Test
    void aJvmThatLoadedTheAgentButLeftNoRecordingPointsAtTheRecordingDirectory() {
        ShutdownReport report = afterDockerStop(evidence(null, null, true), 143, false, SHELL);

        assertThat(coarseBecause(report)).contains("started with the kit's agent, but no recording came out of "
                + "/tmp/graceful-shutdown-junit").contains("writable by the container's user, and not a tmpfs");
    }

    @Test
    void anAgentFailureIsQuoted() {
        ShutdownReport report = afterDockerStop(evidence(null, "could not instrument java.lang.Thread\n", true), 143, false, SHELL);

        assertThat(coarseBecause(report)).isEqualTo("the kit's agent could not record the application: could not instrument "
                + "java.lang.Thread");
    }

    @Test
    void anUntrustedRecordingIsNamedWithItsReason() {
        byte[] foreign = "graceful-shutdown-recording 7\n{}".getBytes(StandardCharsets.US_ASCII);
        ShutdownReport report = afterDockerStop(new AgentEvidence(true, RecordingFormat.Recording.of(foreign), null, true),
                137, true, SHELL);

        assertThat(report.violationKinds()).containsExactly(Kind.HOOK_TIMEOUT);
        assertThat(coarseBecause(report)).startsWith("the recording could not be trusted: format version 7");
    }

    @Test
    void aRecordingThatSaysItsCaptureWasIncompleteIsNotJudgedAsIfComplete() {
        byte[] file = RecordingFormat.write(new RealShutdown.Snapshot(RealShutdown.Moment.HALT, 1, new Inventory(List.of(), List.of(), List.of(),
                List.of()), "java.lang.IllegalStateException: could not write the shutdown snapshot"));
        ShutdownReport report = afterDockerStop(new AgentEvidence(true, RecordingFormat.Recording.of(file), null, true), 143,
                false, SHELL);

        assertThat(coarseBecause(report)).isEqualTo("the kit's agent recorded an incomplete capture, which cannot be judged: "
                + "java.lang.IllegalStateException: could not write the shutdown snapshot");
    }

    // ---- docker stop: a recording -------------------------------------------------------------------------

    @Test
    void aJvmThatNeverBeganItsShutdownBehindAShellIsShutdownNeverStarted() {
        ShutdownReport report = afterDockerStop(recorded("running", 6, hook(CapturedHook.Outcome.NOT_RUN)), 137, true, SHELL);

        assertThat(report.violationKinds()).contains(Kind.SHUTDOWN_NEVER_STARTED);
        assertThat(report.violations().get(0).where()).contains("PID 6").contains("PID 1 is " + SHELL);
        assertThat(report.container().orElseThrow().coarse()).isFalse();
    }

    @Test
    void aJvmAsPid1ThatNeverBeganItsShutdownTookTheSignal() {
        ShutdownReport report = afterDockerStop(recorded("main-returned", 1, hook(CapturedHook.Outcome.NOT_RUN)), 137, true,
                "`java -jar app.jar`");

        assertThat(report.violationKinds()).contains(Kind.SHUTDOWN_NEVER_STARTED);
        assertThat(report.violations().get(0).where()).contains("the JVM is the container's main process (PID 1)");
    }

    @Test
    void hooksStillRunningWhenDockerKilledItTimedOut() {
        ShutdownReport report = afterDockerStop(recorded("shutdown", 1, hook(CapturedHook.Outcome.TIMED_OUT)), 137, true, SHELL);

        assertThat(report.violationKinds()).containsExactly(Kind.HOOK_TIMEOUT);
    }

    @Test
    void aShutdownThatCompletedIsClean() {
        ShutdownReport report = afterDockerStop(recorded("halt", 1, hook(CapturedHook.Outcome.COMPLETED)), 143, false, SHELL);

        assertThat(report.violations()).isEmpty();
        assertThat(report.exitStatus()).contains(143);
        assertThat(report.container().orElseThrow().coarse()).isFalse();
    }

    // ---- a container that should exit by itself ----------------------------------------------------------

    @Test
    void aContainerThatExitedByItselfIsJudgedLikeMainReturn() {
        ShutdownReport report = afterMainReturned(recorded("halt", 1), true, 0);

        assertThat(report.violations()).isEmpty();
        assertThat(report.trigger()).isEqualTo(ShutdownTrigger.MAIN_RETURN);
    }

    @Test
    void aNonDaemonThreadThatKeptItAliveIsLingering() {
        ShutdownReport report = afterMainReturned(recorded("main-returned", 1, worker()), false, 137);

        assertThat(report.violationKinds()).containsExactly(Kind.LINGERING_THREAD);
        assertThat(report.toString()).contains("pool-1-thread-1");
    }

    @Test
    void aMainThatNeverReturnedIsSaidToBeTheCauseOnlyWhenTheRecordingShowsIt() {
        ShutdownReport report = afterMainReturned(recorded("running", 1), false, 137);

        assertThat(report.violationKinds()).containsExactly(Kind.LINGERING_THREAD);
        assertThat(coarseBecause(report)).startsWith("the application's main never returned: the agent's last snapshot "
                + "(\"running\")");
    }

    @Test
    void nothingAliveAfterMainReturnedPointsAtAThreadStartedBeforeTheAgent() {
        ShutdownReport report = afterMainReturned(recorded("main-returned", 1), false, 137);

        assertThat(coarseBecause(report)).contains("a non-daemon thread started before the agent");
    }

    @Test
    void noRecordingOfAContainerThatDidNotExitDoesNotBlameMain() {
        ShutdownReport report = afterMainReturned(evidence(null, null, false), false, 137);

        assertThat(report.violationKinds()).containsExactly(Kind.LINGERING_THREAD);
        assertThat(coarseBecause(report)).startsWith("the kit's agent never loaded").doesNotContain("main never returned");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static ShutdownReport afterDockerStop(AgentEvidence evidence, int exitCode, boolean exceeded, String pid1) {
        return ContainerVerdict.afterDockerStop(SIGTERM, "local/app:1 (0123456789ab)", evidence, exitCode, exceeded, pid1,
                Duration.ofMillis(exceeded ? 2100 : 300), "log");
    }

    private static ShutdownReport afterMainReturned(AgentEvidence evidence, boolean exitedByItself, int exitCode) {
        return ContainerVerdict.afterMainReturned(MAIN_RETURN, "local/batch:1 (0123456789ab)", evidence, exitedByItself,
                exitCode, Duration.ofMillis(exitedByItself ? 500 : 3100), "log");
    }

    private static AgentEvidence evidence(byte[] recording, String agentFailure, boolean pickedUp) {
        return new AgentEvidence(true, RecordingFormat.Recording.of(recording), agentFailure, pickedUp);
    }

    /** A recording as the agent writes it, read back as untrusted input. */
    private static AgentEvidence recorded(String phase, long pid, Object... items) {
        List<CapturedThread> threads = new java.util.ArrayList<>();
        List<CapturedHook> hooks = new java.util.ArrayList<>();
        for (Object item : items) {
            if (item instanceof CapturedThread thread) {
                threads.add(thread);
            } else {
                hooks.add((CapturedHook) item);
            }
        }
        if (!hooks.isEmpty()) {
            threads.add(new CapturedThread("export-shutdown", 40, false, false, CapturedThread.Role.HOOK, null, "main", site(),
                    hooks.get(0).outcome() == CapturedHook.Outcome.TIMED_OUT ? Thread.State.TIMED_WAITING : Thread.State.TERMINATED,
                    List.of(), false, CapturedThread.Activity.WORKING, null, null, null, null, false));
        }
        Inventory inventory = new Inventory(threads, List.of(), List.of(), hooks);
        byte[] file = RecordingFormat.write(new RealShutdown.Snapshot(RealShutdown.Moment.of(phase), pid, inventory));
        RecordingFormat.Recording recording = RecordingFormat.Recording.of(file);
        assertThat(recording.untrusted()).as("the writer's recording is trusted").isFalse();
        return new AgentEvidence(true, recording, null, true);
    }

    private static CapturedHook hook(CapturedHook.Outcome outcome) {
        return new CapturedHook("export-shutdown", 40, site(), outcome, Duration.ofMillis(10), null);
    }

    private static CapturedThread worker() {
        return new CapturedThread("pool-1-thread-1", 30, false, false, CapturedThread.Role.POOL_WORKER, null, "main", site(),
                Thread.State.WAITING, List.of(new StackTraceElement("java.util.concurrent.LinkedBlockingQueue", "take",
                        "LinkedBlockingQueue.java", 435)), false, CapturedThread.Activity.IDLE, null, null, null, null, false);
    }

    private static CallSite site() {
        return new CallSite(List.of(new StackTraceElement("com.example.App", "main", "App.java", 12)));
    }

    private static String coarseBecause(ShutdownReport report) {
        return report.container().orElseThrow().coarseBecause();
    }
}
