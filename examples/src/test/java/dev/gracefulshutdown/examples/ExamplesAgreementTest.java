package dev.gracefulshutdown.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gracefulshutdown.GracefulShutdownTest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The simulation tells the truth: every example gets the same violation kinds in-process and in a real JVM
 * that really shuts down (forked mode). A disagreement is a bug in the simulation.
 */
class ExamplesAgreementTest {

    static final Class<?>[] EXAMPLES = {ReportServiceShutdownTest.class, ExecutorLifecycleTest.class,
        SpringAsyncShutdownTest.class, SpringBootAsyncShutdownTest.class, BatchJobShutdownTest.class,
        EverydayPitfallsTest.class, TomcatShutdownTest.class, JettyShutdownTest.class, NettyShutdownTest.class, QuartzShutdownTest.class, ReactorShutdownTest.class,
        DelayedAndDiscardedWorkTest.class, SwallowedFailureTest.class, JettyHttpShutdownTest.class,
        // @SpringBootTest: forked, the child JVM loads the context in the test's lifetime and its hook runs at the real SIGTERM
        SpringBootServiceShutdownTest.class, SpringBootSameConfigurationShutdownTest.class, SpringBootHttpShutdownTest.class};

    @Test
    void everyExampleGetsTheSameVerdictInProcessAndInARealJvm() {
        Map<String, String> inProcess = kinds(false);
        Map<String, String> forked = kinds(true);

        assertThat(inProcess).hasSizeGreaterThan(20);
        assertThat(forked).as("violation kinds of each example, forked (real JVM) against in-process").isEqualTo(inProcess);
        System.out.printf("agreement: %d scenarios compared, %d agree%n", inProcess.size(),
                inProcess.entrySet().stream().filter(e -> e.getValue().equals(forked.get(e.getKey()))).count());
    }

    /** The violation kinds of every example test; a test that produced no report maps to its failure. */
    static Map<String, String> kinds(boolean fork) {
        Map<String, String> kinds = new TreeMap<>();
        org.junit.platform.testkit.engine.Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(Arrays.stream(EXAMPLES).map(c -> selectClass(c)).toArray(ClassSelector[]::new))
                .configurationParameter(GracefulShutdownTest.EXPECT_IGNORED_PROPERTY, "true")
                .configurationParameter(GracefulShutdownTest.FORK_ALL_PROPERTY, String.valueOf(fork))
                .execute().allEvents();
        events.finished().stream().filter(e -> e.getTestDescriptor().isTest()).forEach(event -> kinds.put(name(event),
                "no report: " + event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::toString).orElse("?")));
        events.reportingEntryPublished().stream()
                .forEach(event -> entry(event).ifPresent(value -> kinds.put(name(event), value)));
        return kinds;
    }

    private static java.util.Optional<String> entry(Event event) {
        return event.getPayload(org.junit.platform.engine.reporting.ReportEntry.class)
                .map(entry -> entry.getKeyValuePairs().get("gracefulshutdown.kinds"));
    }

    private static String name(Event event) {
        return event.getTestDescriptor().getUniqueId().toString();
    }
}
