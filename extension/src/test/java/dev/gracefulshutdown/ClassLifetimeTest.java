package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gracefulshutdown.internal.report.ReportEntries;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * What a kit class's {@code @BeforeAll} starts is shared by its tests and judged by none of them; what it still runs
 * when the class ends is reported for the class, never silently dropped.
 */
class ClassLifetimeTest {

    @Test
    void aPoolStartedInBeforeAllAndNeverShutDownIsReportedForTheClass() {
        List<String> entries = classEntries(LeakyClassTestCases.class);

        assertThat(entries).hasSize(1);
        assertThat(entries.get(0))
                .startsWith("Left running by the class when it ended")
                .contains("POOL_NEVER_SHUT_DOWN")
                .contains("ClassLifetimeTest$LeakyClassTestCases.startPool(ClassLifetimeTest.java:");
    }

    @Test
    void aPoolShutDownInAfterAllLeavesNothing() {
        assertThat(classEntries(CleanClassTestCases.class)).isEmpty();
    }

    private static List<String> classEntries(Class<?> fixture) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
        assertThat(events.failed().count()).as("the tests themselves pass").isZero();
        return events.reportingEntryPublished().stream()
                .flatMap(e -> e.getPayload(ReportEntry.class).stream())
                .map(entry -> entry.getKeyValuePairs().get(ReportEntries.CLASS))
                .filter(Objects::nonNull).toList();
    }

    @GracefulShutdownTest
    static class LeakyClassTestCases {
        static ExecutorService pool;

        @BeforeAll
        static void startPool() throws Exception {
            pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> { }).get();
        }

        @Test
        void usesTheSharedPool() throws Exception {
            pool.submit(() -> { }).get();
        }
    }

    @GracefulShutdownTest
    static class CleanClassTestCases {
        static ExecutorService pool;

        @BeforeAll
        static void startPool() throws Exception {
            pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> { }).get();
        }

        @AfterAll
        static void stopPool() throws InterruptedException {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }

        @Test
        void usesTheSharedPool() throws Exception {
            pool.submit(() -> { }).get();
        }
    }
}
