package dev.gracefulshutdown.internal.fork;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The {@code main} of a forked child JVM: runs exactly one test (by unique id) through the JUnit Platform, then
 * shuts the JVM down for real, the way the trigger says. Markers in the shared directory tell the parent
 * where the child is.
 */
public final class ForkedMain {

    static final String READY = RealShutdown.Moment.READY.word();
    static final String EXITING = RealShutdown.Moment.EXITING.word();
    static final String MAIN_RETURNED = RealShutdown.Moment.MAIN_RETURNED.word();
    static final String TEST_FAILED = "test-failed";

    private ForkedMain() {
    }

    /** This child's trigger and exit status, set by {@link #main} before the test runs; {@code null} in any other JVM. */
    private static volatile ShutdownTrigger trigger;
    private static volatile int status;
    private static volatile Path directory;

    public static void main(String[] args) throws Exception {
        String uniqueId = args[0]; // exactly one invocation, even of a repeated or parameterized test
        status = Integer.parseInt(args[2]);
        directory = Path.of(System.getProperty(RealShutdown.DIRECTORY_PROPERTY));
        trigger = ShutdownTrigger.valueOf(args[1]);

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(uniqueId)).build(), summary);
        TestExecutionSummary result = summary.getSummary();
        if (result.getTestsStartedCount() != 1 || result.getTotalFailureCount() > 0) {
            Files.writeString(directory.resolve(TEST_FAILED), describe(result));
        }
        shutDown(); // main returns, or the test method did not return normally (it failed, it was never run)
    }

    /**
     * The test method returned (called by the kit's extension on the thread that ran it): a {@code SIGTERM} or an
     * exit begins here, as in the simulation, before any {@code @AfterEach}, {@code @AfterAll} or extension's cleanup
     * of the test runs: those are the test's scaffolding, not the application, and in a real JVM they never run. For
     * main returning, JUnit's cleanup runs and {@code main} then returns (the extension skips the test's own
     * {@code @AfterEach} and {@code @AfterAll} methods in this JVM). Nothing happens in a JVM that is not a child.
     */
    public static void testMethodReturned() throws IOException, InterruptedException {
        if (trigger == null || trigger == ShutdownTrigger.MAIN_RETURN) {
            return;
        }
        shutDown();
    }

    private static void shutDown() throws IOException, InterruptedException {
        switch (trigger) {
            case SIGTERM:
                RealShutdown.write(RealShutdown.Moment.READY);
                Files.writeString(directory.resolve(READY), "");
                new CountDownLatch(1).await(); // main stays busy, as a server's would, until the signal
                break;
            case EXIT:
                RealShutdown.write(RealShutdown.Moment.EXITING);
                Files.writeString(directory.resolve(EXITING), "");
                System.exit(status);
                break;
            default:
                RealShutdown.write(RealShutdown.Moment.MAIN_RETURNED);
                RealShutdown.startObserver(RealShutdown.Moment.MAIN_RETURNED);
                Files.writeString(directory.resolve(MAIN_RETURNED), "");
                break; // main returns: the JVM waits for every non-daemon thread, then shuts down
        }
    }

    private static String describe(TestExecutionSummary result) {
        if (result.getTestsStartedCount() == 0) {
            return "the test method was not found or did not start";
        }
        StringWriter text = new StringWriter();
        result.getFailures().forEach(failure -> failure.getException().printStackTrace(new PrintWriter(text)));
        return text.toString();
    }
}
