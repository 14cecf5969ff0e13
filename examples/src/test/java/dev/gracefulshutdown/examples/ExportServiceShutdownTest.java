package dev.gracefulshutdown.examples;

import static dev.gracefulshutdown.examples.ExportClient.startExport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.RunningApplication;
import dev.gracefulshutdown.ShutdownAssertions;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownSimulator;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.http.ExportService;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTTP service of {@link ExportServiceContainerTest}, in-process: the same export in flight at {@code SIGTERM},
 * the same verdicts as the real {@code docker stop} of its container, in milliseconds and without Docker.
 */
@GracefulShutdownTest(gracePeriod = "10s")
class ExportServiceShutdownTest {

    private static final Pattern LISTENING = Pattern.compile("ExportService listening on port (\\d+)");

    @Test
    void withoutAShutdownPathTheExportInFlightIsLost(ShutdownSimulator jvm) {
        RunningApplication service = start(jvm);
        startExport("localhost", port(service));
        service.awaitOutput("export 1 started", Duration.ofSeconds(10));

        ShutdownReport report = jvm.sigterm();

        ShutdownAssertions.assertThat(report).hasOnlyViolations(Violation.Kind.ABANDONED_TASK);
    }

    @Test
    void aHookThatStopsTheServerAndAwaitsTheExportsWritesIt(ShutdownSimulator jvm) {
        RunningApplication service = start(jvm, "--graceful");
        startExport("localhost", port(service));
        service.awaitOutput("export 1 started", Duration.ofSeconds(10));

        ShutdownReport report = jvm.sigterm();

        ShutdownAssertions.assertThat(report).isClean();
        assertThat(service.output()).contains("export 1 written");
    }

    private static RunningApplication start(ShutdownSimulator jvm, String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "--port=0";
        System.arraycopy(options, 0, args, 1, options.length);
        return jvm.start(ExportService.class, args).awaitOutput("ExportService listening on port", Duration.ofSeconds(10));
    }

    private static int port(RunningApplication service) {
        Matcher listening = LISTENING.matcher(service.output());
        assertThat(listening.find()).as("the service says its port").isTrue();
        return Integer.parseInt(listening.group(1));
    }
}
