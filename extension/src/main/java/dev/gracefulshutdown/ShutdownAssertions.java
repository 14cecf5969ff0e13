package dev.gracefulshutdown;

/**
 * AssertJ entry point for {@link ShutdownReport}s.
 *
 * <pre>{@code
 * ShutdownReport report = jvm.sigterm();
 * ShutdownAssertions.assertThat(report).hasOnlyViolations(Violation.Kind.ABANDONED_TASK);
 * }</pre>
 *
 * <p>An assertion that names violation kinds also marks them as asserted: at the end of the test, the kit
 * fails it for every violation that neither an assertion nor {@link GracefulShutdownTest#expect()} covered.
 */
public final class ShutdownAssertions {

    private ShutdownAssertions() {
    }

    public static ShutdownReportAssert assertThat(ShutdownReport actual) {
        return new ShutdownReportAssert(actual);
    }
}
