package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** {@link ExploreShutdown}: SIGTERM at every point of the test's work, and the hooks in every order. */
class ExploreShutdownTest {

    @Test
    void aSigtermBetweenTwoStepsIsFoundAndNamedWithItsReplay() {
        EngineExecutionResults results = Fixtures.run(ImporterTestCases.class);
        Map<String, Event> runs = runs(results, "shutsDownBothPoolsAtOnce");

        assertThat(runs.keySet()).first().isEqualTo("SIGTERM when the method returns (records the points)");
        assertThat(status(runs.get("SIGTERM when the method returns (records the points)"))).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(runs.keySet()).contains("SIGTERM after hook#1 (\"importer-shutdown\", at ExploreShutdownTest.java:"
                + Importer.HOOK_LINE + ") registered");
        String taskStarted = "SIGTERM after task#1 (submitted at ExploreShutdownTest.java:" + Importer.SUBMIT_LINE + ") started";
        assertThat(runs).containsKey(taskStarted);
        String message = failure(runs.get(taskStarted));
        assertThat(message)
                .startsWith(taskStarted + ": Graceful shutdown after SIGTERM")
                .contains(") REJECTED_TASK: ")
                .contains("SIGTERM came right after that point, while the application went on")
                .endsWith("Replay exactly this run: @ExploreShutdown(replay = \"after task#1 started\")");
        String written = runs.keySet().stream().filter(name -> name.startsWith("SIGTERM after task#2") && name.endsWith(" started"))
                .findFirst().orElseThrow();
        assertThat(status(runs.get(written))).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(summary(results, "shutsDownBothPoolsAtOnce")).contains("1 plain run, " + (runs.size() - 1) + " of "
                + (runs.size() - 1) + " points, 0 hook orders of 1 hooks").contains("failed: ").contains(taskStarted);
    }

    @Test
    void theFixPassesEveryPoint() {
        EngineExecutionResults results = Fixtures.run(ImporterTestCases.class);
        Map<String, Event> runs = runs(results, "shutsDownInTheOrderWorkFlows");

        assertThat(runs).hasSizeGreaterThanOrEqualTo(9);
        // a run whose point its timing did not reach is skipped (aborted), by design; none fails
        runs.forEach((name, run) -> assertThat(status(run)).as(name + ": " + failureOrNone(run))
                .isIn(TestExecutionResult.Status.SUCCESSFUL, TestExecutionResult.Status.ABORTED));
        if (runs.values().stream().allMatch(run -> status(run) == TestExecutionResult.Status.SUCCESSFUL)) {
            assertThat(summary(results, "shutsDownInTheOrderWorkFlows")).contains("every run passed");
        }
    }

    @Test
    void replayRunsExactlyThatPointAndKeepsItAsARegressionTest() {
        EngineExecutionResults results = Fixtures.run(ReplayTestCases.class);

        Map<String, Event> pinned = runs(results, "pinnedWithItsExpect");
        assertThat(pinned.keySet()).containsExactly("SIGTERM after task#1 started (replay)");
        assertThat(status(pinned.values().iterator().next())).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);

        Map<String, Event> unreached = runs(results, "aPointTheRunNeverReaches");
        assertThat(failure(unreached.values().iterator().next()))
                .contains("@ExploreShutdown(replay = \"after task#9 started\"): this run never reached task#9 started")
                .contains("[hook#1 registered, task#1 submitted");
    }

    @Test
    void hooksThatDependOnEachOthersOrderAreReportedAsSuch() {
        EngineExecutionResults results = Fixtures.run(JournalTestCases.class);
        Map<String, Event> runs = runs(results, "flushHookAndCloseHook");

        assertThat(runs.keySet()).contains(
                "SIGTERM when the method returns, hooks one after another: hook#1 \"journal-flush\", then hook#2 \"journal-close\"",
                "SIGTERM when the method returns, hooks one after another: hook#2 \"journal-close\", then hook#1 \"journal-flush\"");
        assertThat(status(runs.get("SIGTERM when the method returns, hooks one after another: hook#1 \"journal-flush\", then hook#2 \"journal-close\"")))
                .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(failure(runs.get("SIGTERM when the method returns, hooks one after another: hook#2 \"journal-close\", then hook#1 \"journal-flush\"")))
                .contains(") REJECTED_TASK: ")
                .contains("The hooks depend on each other's order: this order loses work, while all at once, hooks 1,2 passed.")
                .endsWith("Replay exactly this run: @ExploreShutdown(replay = \"hooks 2,1\")");
        assertThat(summary(results, "flushHookAndCloseHook")).contains("2 hook orders of 2 hooks; the hooks depend on each other's order (1 of 2 orders fail)");

        Map<String, Event> fixed = runs(results, "oneHookFlushesThenCloses");
        assertThat(fixed.keySet()).noneMatch(name -> name.contains("hooks one after another"));
        fixed.forEach((name, run) -> assertThat(status(run)).as(name + ": " + failureOrNone(run))
                .isEqualTo(TestExecutionResult.Status.SUCCESSFUL));

        Map<String, Event> replayed = runs(results, "orderReplayed");
        assertThat(replayed.keySet()).containsExactly("SIGTERM when the method returns, hooks one after another: hook#2, then hook#1 (replay)");
        assertThat(status(replayed.values().iterator().next())).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    @Test
    void theBudgetBoundsThePointsAndTheSeedDrawsTheSameSampleAgain() {
        List<String> first = new ArrayList<>(runs(Fixtures.run(BudgetTestCases.class), "manySteps").keySet());
        List<String> second = new ArrayList<>(runs(Fixtures.run(BudgetTestCases.class), "manySteps").keySet());

        assertThat(first).hasSize(1 + 5);
        assertThat(second).isEqualTo(first);
        EngineExecutionResults results = Fixtures.run(BudgetTestCases.class);
        assertThat(summary(results, "manySteps")).contains("1 plain run, 5 of 32 points (sample, seed 7)");
        List<String> allPoints = new ArrayList<>(runs(results, "everyPoint").keySet());
        assertThat(allPoints).hasSize(1 + 32);
        assertThat(allPoints.subList(1, allPoints.size())).containsAll(first.subList(1, first.size()));
    }

    @Test
    void badAttributeValuesFailBeforeAnyRunNamingTheAttributeAndTheValue() {
        EngineExecutionResults results = Fixtures.run(MisconfiguredTestCases.class);

        assertThat(configurationError(results, "zeroBudget")).isEqualTo("@ExploreShutdown(budget = 0) on "
                + "MisconfiguredTestCases.zeroBudget: `budget` must be at least 1, but was 0");
        assertThat(configurationError(results, "seedNotANumber")).isEqualTo("@ExploreShutdown(seed = \"soon\") on "
                + "MisconfiguredTestCases.seedNotANumber: `seed` must be a whole number such as 42, but was \"soon\"");
        assertThat(configurationError(results, "replayNotUnderstood")).startsWith("@ExploreShutdown(replay = \"task#1\") on "
                + "MisconfiguredTestCases.replayNotUnderstood: `replay` takes \"after <point>\"");
        assertThat(configurationError(results, "replayOrderNamesAHookTwice")).isEqualTo("@ExploreShutdown(replay = \"hooks 1,1\") on "
                + "MisconfiguredTestCases.replayOrderNamesAHookTwice: `replay`'s hook order names each hook once, by its position from 1, but names 1 twice");
        assertThat(configurationError(results, "forked")).contains("exploration runs in-process only");
        assertThat(configurationError(results, "expectWithoutReplay")).contains("`expect` describes one run, and exploration makes many");
        assertThat(configurationError(results, "simulator")).contains("a test that takes a ShutdownSimulator triggers its own shutdown");
        assertThat(configurationError(results, "mainReturn")).contains("trigger = MAIN_RETURN");
        assertThat(results.testEvents().started().count()).isZero();
    }

    // ---- reading the runs --------------------------------------------------------------------------------------

    private static Map<String, Event> runs(EngineExecutionResults results, String method) {
        Map<String, Event> runs = new java.util.LinkedHashMap<>();
        results.testEvents().finished().stream()
                .filter(event -> event.getTestDescriptor().getUniqueId().toString().contains(":" + method + "("))
                .forEach(event -> runs.put(event.getTestDescriptor().getDisplayName(), event));
        return runs;
    }

    private static TestExecutionResult.Status status(Event event) {
        return event.getPayload(TestExecutionResult.class).orElseThrow().getStatus();
    }

    private static String failure(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElseThrow(() -> new AssertionError(event.getTestDescriptor().getDisplayName() + " passed"));
    }

    private static String failureOrNone(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).map(String::valueOf).orElse("passed");
    }

    private static String summary(EngineExecutionResults results, String method) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get("gracefulshutdown.explore"))
                .filter(value -> value != null && value.contains("." + method + ": "))
                .findFirst().orElseThrow(() -> new AssertionError("no exploration summary for " + method));
    }

    private static String configurationError(EngineExecutionResults results, String method) {
        Throwable error = results.containerEvents().finished().stream()
                .filter(event -> event.getTestDescriptor().getUniqueId().toString().contains(":" + method + "("))
                .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElse(null))
                .findFirst().orElseThrow(() -> new AssertionError("no container for " + method));
        assertThat(error).isInstanceOf(ExtensionConfigurationException.class);
        return error.getMessage();
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------

    /** Parses a file on one pool, then hands it to a writer pool; its shutdown hook stops both. */
    static final class Importer {
        static final int HOOK_LINE = 188;
        static final int SUBMIT_LINE = 196;
        final ExecutorService parsers = Executors.newFixedThreadPool(1);
        final ExecutorService writers = Executors.newFixedThreadPool(1);
        final CountDownLatch written = new CountDownLatch(1);
        private final boolean inTheOrderWorkFlows;
        private boolean stopping;

        Importer(boolean inTheOrderWorkFlows) {
            this.inTheOrderWorkFlows = inTheOrderWorkFlows;
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "importer-shutdown"));
        }

        /** {@code false} when the importer is stopping and took nothing. */
        synchronized boolean importFile(String name) {
            if (stopping) {
                return false;
            }
            parsers.execute(() -> {
                String parsed = parse(name);
                try {
                    writers.execute(() -> write(parsed));
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // logged and lost: the verdict is REJECTED_TASK alone (a task that threw instead would be
                    // FAILED_TASK only if its pool's bookkeeping ended before the halt, which is timing)
                }
            });
            return true;
        }

        private static String parse(String name) {
            try {
                Thread.sleep(100); // the parsing work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return name.toUpperCase();
        }

        private void write(String parsed) {
            written.countDown();
        }

        private void shutdown() {
            try {
                if (inTheOrderWorkFlows) {
                    synchronized (this) {
                        stopping = true;
                        parsers.shutdown();
                    }
                    parsers.awaitTermination(5, TimeUnit.SECONDS);
                    writers.shutdown();
                    writers.awaitTermination(5, TimeUnit.SECONDS);
                } else {
                    parsers.shutdown();
                    writers.shutdown(); // before the parsers have handed their work on
                    parsers.awaitTermination(5, TimeUnit.SECONDS);
                    writers.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitWritten() throws InterruptedException {
            written.await(5, TimeUnit.SECONDS);
        }
    }

    static class ImporterTestCases {
        @ExploreShutdown
        @GracefulShutdownTest(gracePeriod = "5s")
        void shutsDownBothPoolsAtOnce() throws Exception {
            Importer importer = new Importer(false);
            if (importer.importFile("orders.csv")) {
                importer.awaitWritten();
            }
        }

        @ExploreShutdown
        @GracefulShutdownTest(gracePeriod = "5s")
        void shutsDownInTheOrderWorkFlows() throws Exception {
            Importer importer = new Importer(true);
            if (importer.importFile("orders.csv")) {
                importer.awaitWritten();
            }
        }
    }

    static class ReplayTestCases {
        @ExploreShutdown(replay = "after task#1 started")
        @GracefulShutdownTest(gracePeriod = "5s", expect = Violation.Kind.REJECTED_TASK)
        void pinnedWithItsExpect() throws Exception {
            Importer importer = new Importer(false);
            if (importer.importFile("orders.csv")) {
                importer.awaitWritten();
            }
        }

        @ExploreShutdown(replay = "after task#9 started")
        @GracefulShutdownTest(gracePeriod = "5s")
        void aPointTheRunNeverReaches() throws Exception {
            Importer importer = new Importer(true);
            if (importer.importFile("orders.csv")) {
                importer.awaitWritten();
            }
        }
    }

    /** Buffers records in memory; flushing writes them on its writer pool, closing stops the pool. */
    static final class Journal {
        final ExecutorService writer = Executors.newFixedThreadPool(1);
        final List<String> buffer = Collections.synchronizedList(new ArrayList<>());

        void append(String record) {
            buffer.add(record);
        }

        void flush() throws Exception {
            List<String> records = List.copyOf(buffer);
            writer.submit(() -> records.size()).get(5, TimeUnit.SECONDS);
        }

        void close() throws InterruptedException {
            writer.shutdown();
            writer.awaitTermination(5, TimeUnit.SECONDS);
        }

        /** The close hook first lets appends in flight finish: so, all at once, the flush comes first. */
        void drainThenClose() throws Exception {
            Thread.sleep(150); // the drain: part of the application's close
            close();
        }
    }

    static class JournalTestCases {
        @ExploreShutdown
        @GracefulShutdownTest(gracePeriod = "5s")
        void flushHookAndCloseHook() {
            Journal journal = new Journal();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> call(journal::flush), "journal-flush"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> call(journal::drainThenClose), "journal-close"));
            journal.append("order-1");
        }

        @ExploreShutdown
        @GracefulShutdownTest(gracePeriod = "5s")
        void oneHookFlushesThenCloses() {
            Journal journal = new Journal();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                call(journal::flush);
                call(journal::close);
            }, "journal-flush-then-close"));
            journal.append("order-1");
        }

        @ExploreShutdown(replay = "hooks 2,1")
        @GracefulShutdownTest(gracePeriod = "5s", expect = {Violation.Kind.REJECTED_TASK, Violation.Kind.HOOK_FAILED})
        void orderReplayed() {
            flushHookAndCloseHook();
        }

        interface Step {
            void run() throws Exception;
        }

        private static void call(Step step) {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static class BudgetTestCases {
        @ExploreShutdown(budget = 5, seed = "7", hookOrders = false)
        @GracefulShutdownTest(gracePeriod = "5s")
        void manySteps() throws Exception {
            tenSteps();
        }

        @ExploreShutdown(seed = "7", hookOrders = false)
        @GracefulShutdownTest(gracePeriod = "5s")
        void everyPoint() throws Exception {
            tenSteps();
        }

        /** 10 tasks, one after another, then the pool shut down and awaited: 30 task points, the worker's start, the shutdown. */
        private static void tenSteps() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            for (int step = 0; step < 10; step++) {
                pool.submit(() -> { }).get(5, TimeUnit.SECONDS);
            }
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static class MisconfiguredTestCases {
        @ExploreShutdown(budget = 0)
        void zeroBudget() {
        }

        @ExploreShutdown(seed = "soon")
        void seedNotANumber() {
        }

        @ExploreShutdown(replay = "task#1")
        void replayNotUnderstood() {
        }

        @ExploreShutdown(replay = "hooks 1,1")
        void replayOrderNamesAHookTwice() {
        }

        @ExploreShutdown
        @GracefulShutdownTest(fork = true)
        void forked() {
        }

        @ExploreShutdown
        @GracefulShutdownTest(expect = Violation.Kind.ABANDONED_TASK)
        void expectWithoutReplay() {
        }

        @ExploreShutdown
        void simulator(ShutdownSimulator jvm) {
        }

        @ExploreShutdown
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
        void mainReturn() {
        }
    }
}
