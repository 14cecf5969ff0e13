package dev.gracefulshutdown.internal.report;

import org.junit.platform.commons.JUnitException;

/**
 * The kit's own capture failed (the agent, the recording, the simulation), so its verdict cannot be trusted: the
 * test fails with this instead of passing on what little was seen.
 */
public final class IncompleteCaptureException extends JUnitException {

    private static final long serialVersionUID = 1L;

    public IncompleteCaptureException(String test, String why, Throwable cause) {
        this("@GracefulShutdownTest", test, why, cause);
    }

    /** @param checkedBy what gave the verdict: {@code @GracefulShutdownTest}, or the suite guard */
    public IncompleteCaptureException(String checkedBy, String test, String why, Throwable cause) {
        super(checkedBy + " on " + test + ": the capture was incomplete: " + why
                + "; the kit cannot give a verdict on what it did not see, so the test fails", cause);
    }
}
