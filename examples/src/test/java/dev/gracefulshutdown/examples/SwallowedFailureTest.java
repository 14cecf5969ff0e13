package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.jdk.DatabaseExport;
import org.junit.jupiter.api.Test;

/**
 * A task that fails because the shutdown closed its resource, catches the exception, logs it and returns
 * ({@link DatabaseExport}: 15 rows over an H2 JDBC connection): to its executor the task completed normally.
 *
 * <p>Ground truth: {@code java -cp examples/target/classes:<runtime class path> <main class> <args>}, {@code kill -TERM}
 * once the ready line appeared, on JDK 25.0.3 and on JDK 17.0.15 with the same result; each test says what was seen.
 */
class SwallowedFailureTest {

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the export, a hook that closes the connection first, then shuts the
     * pool down and awaits it: the task caught "org.h2.jdbc.JdbcSQLNonTransientException: The object is already closed
     * [90007-240]" on its next insert, logged "export failed: ..." and returned normally; "export written" never
     * printed, exit 143 0.11 s after SIGTERM.
     *
     * Without expect (verbatim but for line numbers; H2's message depends on how far the close got):
     *
     * 1) FAILED_TASK: task lambda in dev.gracefulshutdown.examples.jdk.DatabaseExport (task#1) on ThreadPoolExecutor#1
     *    failed during the shutdown with org.h2.jdbc.JdbcSQLNonTransientException: The object is already closed [90007-240]
     *      submitted at dev.gracefulshutdown.examples.jdk.DatabaseExport.main(DatabaseExport.java:52)
     *      thrown at org.h2.message.DbException.getJdbcSQLException(DbException.java:566), caught at
     *        dev.gracefulshutdown.examples.jdk.DatabaseExport.write(DatabaseExport.java:57) and not rethrown: the work
     *        ended as if it had succeeded
     *      fix: keep what a task uses (connections, data sources, files) open until its executor has terminated: shut
     *        the executor down and await it before closing them
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = DatabaseExport.class, args = "--close-order=connection-first",
            readyOutput = "export started", expect = Violation.Kind.FAILED_TASK)
    void theConnectionClosedUnderTheExportFailsItQuietly() {
    }

    /*
     * Verified in a real JVM: the hook shuts the pool down and awaits it (4 s) first, then closes the connection:
     * "export written" printed, exit 143 1.3 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = DatabaseExport.class, args = "--close-order=pool-first",
            readyOutput = "export started")
    void closingTheConnectionAfterThePoolLetsTheExportFinish() {
    }
}
