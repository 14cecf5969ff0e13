package dev.gracefulshutdown.internal.fork;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.RealShutdown;
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

    public static void main(String[] args) throws Exception {
        String uniqueId = args[0]; // exactly one invocation, even of a repeated or parameterized test
        ShutdownTrigger trigger = ShutdownTrigger.valueOf(args[1]);
        int status = Integer.parseInt(args[2]);
        Path directory = Path.of(System.getProperty(RealShutdown.DIRECTORY_PROPERTY));

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(uniqueId)).build(), summary);
        TestExecutionSummary result = summary.getSummary();
        if (result.getTestsStartedCount() != 1 || result.getTotalFailureCount() > 0) {
            Files.writeString(directory.resolve(TEST_FAILED), describe(result));
        }

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
