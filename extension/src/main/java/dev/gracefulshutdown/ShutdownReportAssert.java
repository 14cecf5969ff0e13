package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.junit.AssertedKinds;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link ShutdownReport}; start with {@link ShutdownAssertions#assertThat(ShutdownReport)}.
 *
 * <p>The assertions that name kinds of violation ({@link #hasOnlyViolations}, {@link #hasViolations},
 * {@link #hasViolationSatisfying}) tell the kit that the test checked them: at the end of the test, a violation of
 * another kind, not in {@link GracefulShutdownTest#expect()}, still fails it. The kit keeps this beside the report;
 * no assertion changes the report.
 */
public final class ShutdownReportAssert extends AbstractAssert<ShutdownReportAssert, ShutdownReport> {

    ShutdownReportAssert(ShutdownReport actual) {
        super(actual, ShutdownReportAssert.class);
    }

    /** The shutdown lost nothing: no violation at all. */
    public ShutdownReportAssert isClean() {
        isNotNull();
        if (!actual.isClean()) {
            throw failure("Expected a clean shutdown, but:%n%s", actual);
        }
        return myself;
    }

    /** Exactly these kinds of violation occurred, no other (marks them as asserted). */
    public ShutdownReportAssert hasOnlyViolations(Violation.Kind... kinds) {
        isNotNull();
        Set<Violation.Kind> expected = kinds.length == 0 ? EnumSet.noneOf(Violation.Kind.class) : EnumSet.copyOf(Arrays.asList(kinds));
        if (!actual.violationKinds().equals(expected)) {
            throw failure("Expected exactly the violations %s but found %s:%n%s", expected, actual.violationKinds(), actual);
        }
        AssertedKinds.add(actual, expected);
        return myself;
    }

    /** At least these kinds of violation occurred (marks them as asserted). */
    public ShutdownReportAssert hasViolations(Violation.Kind... kinds) {
        isNotNull();
        for (Violation.Kind kind : kinds) {
            if (!actual.violationKinds().contains(kind)) {
                throw failure("Expected a %s violation but found %s:%n%s", kind, actual.violationKinds(), actual);
            }
        }
        AssertedKinds.add(actual, Set.of(kinds));
        return myself;
    }

    /** A violation of this kind occurred and satisfies the given assertions (marks the kind as asserted). */
    public ShutdownReportAssert hasViolationSatisfying(Violation.Kind kind, Consumer<Violation> requirements) {
        hasViolations(kind);
        AssertionError last = null;
        for (Violation violation : actual.violations()) {
            if (violation.kind() == kind) {
                try {
                    requirements.accept(violation);
                    return myself;
                } catch (AssertionError e) {
                    last = e;
                }
            }
        }
        throw failure("No %s violation satisfies the requirements: %s", kind, last == null ? "" : last.getMessage());
    }

    /** No violation of this kind occurred. */
    public ShutdownReportAssert hasNoViolation(Violation.Kind kind) {
        isNotNull();
        if (actual.violationKinds().contains(kind)) {
            throw failure("Expected no %s violation, but:%n%s", kind, actual);
        }
        return myself;
    }

    /** The simulated JVM reached its halt (no thread kept it alive). */
    public ShutdownReportAssert jvmExits() {
        isNotNull();
        if (!actual.jvmExits()) {
            throw failure("Expected the JVM to exit, but it would not:%n%s", actual);
        }
        return myself;
    }

    /**
     * The process ended by itself: neither a forked JVM nor a container was killed ({@code SIGKILL}) because its
     * grace period or exit timeout ended.
     */
    public ShutdownReportAssert wasNotKilled() {
        isNotNull();
        if (actual.forkedJvm().map(ShutdownReport.ForkedJvm::killed).orElse(false)
                || actual.container().map(ShutdownReport.Container::killed).orElse(false)) {
            throw failure("Expected the process to end by itself, but it was killed (SIGKILL):%n%s", actual);
        }
        return myself;
    }

    /** The process would end with this status. */
    public ShutdownReportAssert hasExitStatus(int status) {
        jvmExits();
        if (actual.exitStatus().orElseThrow() != status) {
            throw failure("Expected exit status %s but was %s", status, actual.exitStatus().orElseThrow());
        }
        return myself;
    }
}
