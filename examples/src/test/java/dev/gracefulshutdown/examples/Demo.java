package dev.gracefulshutdown.examples;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The main demonstration: runs the examples and prints, for each test, what the kit found at the simulated
 * shutdown, and, where Docker is available, at a real {@code docker stop} of the HTTP service's container. The broken examples pass because they declare the violation they expect; the report shows the
 * message they would fail with otherwise.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ReportServiceShutdownTest.class), selectClass(ExecutorLifecycleTest.class),
                        selectClass(SpringAsyncShutdownTest.class), selectClass(BatchJobShutdownTest.class),
                        selectClass(SpringBootAsyncShutdownTest.class), selectClass(EverydayPitfallsTest.class),
                        selectClass(TomcatShutdownTest.class), selectClass(JettyShutdownTest.class), selectClass(NettyShutdownTest.class),
                        selectClass(QuartzShutdownTest.class), selectClass(ReactorShutdownTest.class),
                        selectClass(DelayedAndDiscardedWorkTest.class), selectClass(SwallowedFailureTest.class),
                        selectClass(SpringBootHttpShutdownTest.class), selectClass(JettyHttpShutdownTest.class),
                        selectClass(ExploredShutdownTest.class),
                        selectClass(ExportServiceContainerTest.class), selectClass(ImportJobContainerTest.class))
                .configurationParameter("gracefulshutdown.timeline", "all") // a page to open for every example
                .build();
        Map<String, String> kinds = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, String> timelines = new java.util.concurrent.ConcurrentHashMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                Map<String, String> values = entry.getKeyValuePairs();
                String report = values.get("gracefulshutdown.report");
                if (report != null) {
                    System.out.println("\n=== " + test.getDisplayName() + "\n" + report);
                }
                if (values.containsKey("gracefulshutdown.kinds")) {
                    kinds.put(test.getUniqueId(), values.get("gracefulshutdown.kinds"));
                }
                if (values.containsKey("gracefulshutdown.timeline")) {
                    timelines.put(test.getUniqueId(), values.get("gracefulshutdown.timeline"));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                System.out.println("--- " + test.getDisplayName() + ": SKIPPED, " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    System.out.println("--- " + test.getDisplayName() + ": " + verdict(test, result));
                    String timeline = timelines.get(test.getUniqueId());
                    if (timeline != null) {
                        System.out.println("    timeline: " + timeline);
                    }
                }
            }

            /** What a newcomer needs to read: is this example the broken or the fixed one, and did the kit see it? */
            private String verdict(TestIdentifier test, TestExecutionResult result) {
                String found = kinds.get(test.getUniqueId());
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    return "TEST FAILED " + result.getThrowable().map(Throwable::getMessage).orElse("");
                }
                if (found == null) {
                    return "passed";
                }
                return found.equals("[]") ? "FIXED: a clean shutdown, nothing lost"
                        : "BROKEN, as it means to be: the kit found " + found + " (the test declares them in `expect`, so "
                                + "it passes and stays a regression test; the message above is what it fails with otherwise)";
            }
        });
        // The broken examples leave threads behind on purpose (a Timer never cancelled ignores interrupts):
        // exactly the bug they demonstrate. A launcher ends its JVM itself.
        System.exit(0);
    }
}
