package dev.gracefulshutdown.internal.container;

import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.capture.RecordingFormat;

/**
 * What the kit found of its agent after a container stopped: the recording (or why it cannot be trusted), the
 * reason the agent left if it could not record, and whether the container's JVM was started with the agent. Plain
 * data, so that the verdict on it is a pure function that tests can call with hand-made recordings.
 *
 * @param agentAdded whether the kit added its agent to the container ({@code ContainerShutdown.of})
 * @param recording the recording copied out of the stopped container (empty when there was none)
 * @param agentFailure what the agent wrote when it could not record the application, or {@code null}
 * @param jvmPickedUpAgent whether the container's log shows a JVM that picked up the agent from
 *     {@code JAVA_TOOL_OPTIONS} (the JVM prints {@code Picked up JAVA_TOOL_OPTIONS: ...} as it starts)
 */
public record AgentEvidence(boolean agentAdded, RecordingFormat.Recording recording, String agentFailure,
        boolean jvmPickedUpAgent) {

    /** Without the agent ({@code ContainerShutdown.withoutAgent}): nothing was recorded, by design. */
    public static AgentEvidence withoutAgent() {
        return new AgentEvidence(false, new RecordingFormat.Recording(null, null), null, false);
    }

    /** The agent's last snapshot, or {@code null}: none when the agent says its capture was incomplete. */
    public RealShutdown.Snapshot snapshot() {
        RealShutdown.Snapshot snapshot = recording.snapshot();
        return snapshot == null || snapshot.captureIncomplete() != null ? null : snapshot;
    }

    /**
     * Why there is no snapshot to judge, as a sentence for the report. The agent writes a first snapshot as the JVM
     * starts, so no snapshot means the agent never ran or could not write, never that the JVM failed to shut down.
     */
    public String whyNoSnapshot(String recordingDirectory) {
        if (!agentAdded) {
            return "no agent in the container (ContainerShutdown.withoutAgent)";
        }
        if (recording.untrusted()) {
            return recording.untrustedBecause();
        }
        if (recording.snapshot() != null && recording.snapshot().captureIncomplete() != null) {
            return "the kit's agent recorded an incomplete capture, which cannot be judged: "
                    + recording.snapshot().captureIncomplete();
        }
        if (agentFailure != null && !agentFailure.isBlank()) {
            return "the kit's agent could not record the application: " + agentFailure.trim();
        }
        if (jvmPickedUpAgent) {
            return "a JVM in the container was started with the kit's agent, but no recording came out of " + recordingDirectory
                    + ": the agent could not start in it (it needs JDK 17 or newer; see the log), or could not write there "
                    + "(the directory must be writable by the container's user, and not a tmpfs)";
        }
        return "the kit's agent never loaded: no JVM in the container picked up JAVA_TOOL_OPTIONS (a JVM that does prints "
                + "'Picked up JAVA_TOOL_OPTIONS' first); the container may not run a JVM, its entrypoint may replace "
                + "JAVA_TOOL_OPTIONS, or the JVM did not start";
    }
}
