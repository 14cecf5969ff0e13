package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.internal.report.FailureMessage;
import dev.gracefulshutdown.internal.report.IncompleteCaptureException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides a test from its report: with {@code expect}, exactly those kinds must occur; without, every
 * violation must have been asserted by the test (through {@code ShutdownAssertions}) or the test fails.
 */
public final class Verdict {

    private Verdict() {
    }

    /**
     * The error for a capture that failed, or {@code null} when the capture was complete: a kit failure must never
     * look like a clean verdict.
     *
     * @param test the test, as messages name it
     * @param captureFailure the capture's first failure ({@code Scope.captureFailure()}), or {@code null}
     */
    public static IncompleteCaptureException incomplete(String test, Throwable captureFailure) {
        return captureFailure == null ? null : new IncompleteCaptureException(test, String.valueOf(captureFailure), captureFailure);
    }

    /** The failure for this report, or {@code null} when the test passes. */
    public static AssertionError of(ShutdownReport report, Set<Violation.Kind> expected) {
        Set<Violation.Kind> actual = report.violationKinds();
        if (!expected.isEmpty()) {
            if (actual.equals(expected)) {
                return null;
            }
            Set<Violation.Kind> missing = EnumSet.copyOf(expected);
            missing.removeAll(actual);
            Set<Violation.Kind> unexpected = actual.isEmpty() ? EnumSet.noneOf(Violation.Kind.class) : EnumSet.copyOf(actual);
            unexpected.removeAll(expected);
            StringBuilder message = new StringBuilder("@GracefulShutdownTest(expect = ").append(expected)
                    .append(") but the shutdown produced ").append(actual.isEmpty() ? "no violation" : actual.toString());
            if (!missing.isEmpty()) {
                message.append("; missing: ").append(missing);
            }
            if (!unexpected.isEmpty()) {
                message.append("; unexpected: ").append(unexpected);
            }
            return new AssertionError(message.append("\n\n").append(report).toString());
        }
        Set<Violation.Kind> asserted = AssertedKinds.of(report);
        List<Violation> unasserted = report.violations().stream()
                .filter(v -> !asserted.contains(v.kind()))
                .collect(Collectors.toList());
        if (unasserted.isEmpty()) {
            return null;
        }
        String preface = asserted.isEmpty() ? ""
                : "Violations not covered by an assertion on the report (asserted: " + asserted + ")\n";
        return new AssertionError(preface + FailureMessage.render(report, unasserted));
    }
}
