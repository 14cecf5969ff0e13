package dev.gracefulshutdown.internal.report;

import dev.gracefulshutdown.ShutdownReport;
import java.util.List;
import java.util.Map;

/**
 * The keys of the JUnit report entries the kit publishes ({@code context.publishReportEntry}), in one place: tools
 * that read the test reports (the examples' agreement test, a CI dashboard) depend on their names.
 */
public final class ReportEntries {

    /** A kit test's full report, as its failure message reads. */
    public static final String REPORT = "gracefulshutdown.report";
    /** The report's violation kinds alone, for tools that compare runs. */
    public static final String KINDS = "gracefulshutdown.kinds";
    /** Threads that died with an uncaught exception while the test ran: shown, not failed. */
    public static final String UNCAUGHT = "gracefulshutdown.uncaught";
    /** What was still running after the cleanup of a test (or of the suite guard), attributed to no later test. */
    public static final String LEFTOVERS = "gracefulshutdown.leftovers";
    /** What a kit class's {@code @BeforeAll}/{@code @AfterAll} left running when the class ended. */
    public static final String CLASS = "gracefulshutdown.class";

    private ReportEntries() {
    }

    /** The {@link #REPORT} and {@link #KINDS} entries of a report. */
    public static Map<String, String> of(ShutdownReport report) {
        return Map.of(REPORT, report.toString(), KINDS, report.violationKinds().toString());
    }

    /**
     * The {@link #LEFTOVERS} entry's text.
     *
     * @param cleanup whose cleanup it was: {@code the test's}, {@code the guard's}
     */
    public static String leftovers(String cleanup, List<String> leftovers) {
        return "still running after " + cleanup + " cleanup (nothing they do is attributed to a later test): "
                + String.join(", ", leftovers);
    }
}
