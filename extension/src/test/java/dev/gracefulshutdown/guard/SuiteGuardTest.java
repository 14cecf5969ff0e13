package dev.gracefulshutdown.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.Fixtures;
import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

/**
 * The suite guard: tests without {@code @GracefulShutdownTest}, guarded through {@code junit-platform.properties}
 * alone. Leaky and clean tests side by side, in parallel; a class's own leaks; the baseline's workflow; the report.
 */
class SuiteGuardTest {

    /** Released after every run: the fixtures' blocked threads and tasks wait on it. */
    static CountDownLatch forever = new CountDownLatch(1);

    @TempDir
    Path dir;

    @AfterAll
    static void releaseFixtures() {
        forever.countDown();
    }

    private String[] guard(String... more) {
        List<String> config = new ArrayList<>(List.of("junit.jupiter.extensions.autodetection.enabled", "true",
                "gracefulshutdown.guard.enabled", "true", "gracefulshutdown.guard.reportDir", dir.resolve("report").toString()));
        config.addAll(List.of(more));
        return config.toArray(new String[0]);
    }

    // ---- a test whose instance cannot be made ------------------------------------------------------------------

    @Test
    void aTestWhoseInstanceCannotBeMadeHasItsScopeStoppedAndClosed() {
        forever = new CountDownLatch(1);
        Events events = Fixtures.tests(FailingConstructorTestCases.class, guard());

        assertThat(Fixtures.failureMessage(events, "neverRuns")).contains("the constructor failed");
        assertThat(FailingConstructorTestCases.started.isAlive())
                .as("no afterEach: the scope is stopped when JUnit closes the test's context, not left capturing").isFalse();
    }

    static class FailingConstructorTestCases {
        static volatile Thread started;

        FailingConstructorTestCases() {
            started = new Thread(() -> {
                try {
                    forever.await();
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }, "importer");
            started.start();
            throw new IllegalStateException("the constructor failed");
        }

        @Test
        void neverRuns() {
        }
    }

    // ---- every test guarded, in parallel -------------------------------------------------------------------------

    @Test
    void leakyAndCleanTestsSideBySideInParallel() {
        forever = new CountDownLatch(1);
        Events events = Fixtures.tests(MixedTestCases.class, guard("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent"));

        Fixtures.assertPassed(events, "cleanPool", "cleanThread", "cleanScheduler", "kitTestIsTheKits", "kitTestCatchesItsOwnLeak");
        assertThat(Fixtures.failureMessage(events, "poolNeverShutDown"))
                .startsWith("Left running when the test ended (graceful-shutdown guard): 1 leak")
                .contains("POOL_NEVER_SHUT_DOWN: ThreadPoolExecutor#1 (1 thread alive) never shut down")
                .contains("created at dev.gracefulshutdown.guard.SuiteGuardTest$MixedTestCases.poolNeverShutDown(SuiteGuardTest.java:")
                .contains("fix: call shutdown() and then awaitTermination(...)");
        assertThat(Fixtures.failureMessage(events, "threadStillRunning"))
                .contains("THREAD_STILL_RUNNING: non-daemon thread \"poller\" still running (WAITING in ")
                .contains("started at dev.gracefulshutdown.guard.SuiteGuardTest$MixedTestCases.threadStillRunning(");
        assertThat(Fixtures.failureMessage(events, "threadIgnoringInterrupts")).contains("non-daemon thread \"stubborn\"");
        assertThat(Fixtures.failureMessage(events, "taskRunningAndTaskQueued"))
                .contains("3 leaks")
                .contains("TASK_STILL_RUNNING: task#1")
                .contains("TASK_STILL_QUEUED: task#2")
                .contains("submitted at dev.gracefulshutdown.guard.SuiteGuardTest$MixedTestCases.taskRunningAndTaskQueued(");
        assertThat(Fixtures.failureMessage(events, "hookNeverRemoved"))
                .contains("HOOK_NEVER_REMOVED: shutdown hook \"flush-on-exit\" registered and never removed")
                .contains("registered at dev.gracefulshutdown.guard.SuiteGuardTest$MixedTestCases.hookNeverRemoved(");
        assertThat(Fixtures.failureMessage(events, "threadDiesOfAnException"))
                .contains("UNCAUGHT_EXCEPTION: thread \"importer\" died with an uncaught exception "
                        + "(java.lang.IllegalStateException: bad row 7, thrown at dev.gracefulshutdown.guard.SuiteGuardTest$MixedTestCases")
                .contains("fix: catch and handle the failure inside the thread's run()");
        assertThat(Runtime.getRuntime().removeShutdownHook(MixedTestCases.hook))
                .as("the guard captured the hook: it was never installed in the real JVM").isFalse();
        assertThat(events.failed().count()).isEqualTo(6);
    }

    // ---- a kit failure is never a clean test ----------------------------------------------------------------------

    @Test
    void aCaptureThatFailedFailsTheGuardedTestRatherThanPassingIt() {
        Events events = Fixtures.tests(IncompleteCaptureTestCases.class, guard());

        assertThat(Fixtures.failure(events, "cleanButTheCaptureFailed"))
                .isInstanceOf(dev.gracefulshutdown.internal.report.IncompleteCaptureException.class)
                .hasMessage("the graceful-shutdown guard on dev.gracefulshutdown.guard.SuiteGuardTest$IncompleteCaptureTestCases"
                        + "#cleanButTheCaptureFailed(): the capture was incomplete: java.lang.IllegalStateException: the advice on ThreadPoolExecutor.execute failed; the kit "
                        + "cannot give a verdict on what it did not see, so the test fails");
        assertThat(Fixtures.failure(events, "leakyAndTheCaptureFailed"))
                .isInstanceOf(dev.gracefulshutdown.internal.report.IncompleteCaptureException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().asString().contains("POOL_NEVER_SHUT_DOWN"));
        Fixtures.assertPassed(events, "clean");
    }

    static class IncompleteCaptureTestCases {
        static void captureFails() {
            dev.gracefulshutdown.internal.capture.Capture.currentScope()
                    .captureFailed(new IllegalStateException("the advice on ThreadPoolExecutor.execute failed"));
        }

        @Test
        void cleanButTheCaptureFailed() {
            captureFails();
        }

        @Test
        void leakyAndTheCaptureFailed() {
            Executors.newSingleThreadExecutor().execute(() -> { });
            captureFails();
        }

        @Test
        void clean() {
        }
    }

    // ---- the class's own leaks ---------------------------------------------------------------------------------

    @Test
    void leaksOfBeforeAllAreTheClasss() {
        EngineExecutionResults results = Fixtures.run(ClassLevelTestCases.class, guard());

        Fixtures.assertPassed(results.testEvents(), "first", "second");
        Throwable classFailure = results.containerEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .findFirst().orElseThrow(() -> new AssertionError("the class should have failed"));
        assertThat(classFailure.getMessage())
                .startsWith("Left running by the class (its @BeforeAll/@AfterAll or class-level extensions) when it ended")
                .contains("POOL_NEVER_SHUT_DOWN: ScheduledThreadPoolExecutor#1")
                .contains("created at dev.gracefulshutdown.guard.SuiteGuardTest$ClassLevelTestCases.startScheduler(");
    }

    // ---- the baseline ---------------------------------------------------------------------------------------------

    @Test
    void baselineWrittenThenOnlyNewLeaksFailAndFixedOnesAreReported() throws IOException {
        forever = new CountDownLatch(1);
        Path baseline = dir.resolve("baseline.txt");
        BaselineTestCases.threadFixed = false;
        BaselineTestCases.newLeak = false;

        Events written = Fixtures.tests(BaselineTestCases.class, guard("gracefulshutdown.guard.baseline", baseline.toString(),
                "gracefulshutdown.guard.baseline.write", "true"));
        Fixtures.assertPassed(written, "leakyPool", "leakyThread", "clean");
        List<String> lines = Files.readAllLines(baseline);
        assertThat(lines.stream().filter(l -> !l.startsWith("#")).toList()).containsExactly(
                "dev.gracefulshutdown.guard.SuiteGuardTest$BaselineTestCases#leakyPool() | POOL_NEVER_SHUT_DOWN | "
                        + "dev.gracefulshutdown.guard.SuiteGuardTest$BaselineTestCases.leakyPool",
                "dev.gracefulshutdown.guard.SuiteGuardTest$BaselineTestCases#leakyThread() | THREAD_STILL_RUNNING | "
                        + "dev.gracefulshutdown.guard.SuiteGuardTest$BaselineTestCases.leakyThread");

        Events accepted = Fixtures.tests(BaselineTestCases.class, guard("gracefulshutdown.guard.baseline", baseline.toString()));
        Fixtures.assertPassed(accepted, "leakyPool", "leakyThread", "clean");

        BaselineTestCases.threadFixed = true;
        BaselineTestCases.newLeak = true;
        Events changed = Fixtures.tests(BaselineTestCases.class, guard("gracefulshutdown.guard.baseline", baseline.toString()));
        Fixtures.assertPassed(changed, "leakyPool", "leakyThread");
        assertThat(Fixtures.failureMessage(changed, "clean")).contains("POOL_NEVER_SHUT_DOWN");
        String json = Files.readString(dir.resolve("report/guard-report.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"new\": 1,").contains("\"fixed\": [\"dev.gracefulshutdown.guard.SuiteGuardTest$BaselineTestCases"
                + "#leakyThread() | THREAD_STILL_RUNNING | dev.gracefulshutdown.guard.SuiteGuardTest$BaselineTestCases.leakyThread\"]");
        assertThat(Files.readString(dir.resolve("report/guard-report.html"))).contains("<h1>Graceful shutdown guard</h1>")
                .contains("fixed");
    }

    // ---- the report, merged from each JVM's part -------------------------------------------------------------------

    @Test
    void reportGroupsLeaksByCreationSiteAcrossParts() throws IOException {
        forever = new CountDownLatch(1);
        Fixtures.tests(SharedServiceTestCases.class, guard()); // one part
        Fixtures.tests(ClassLevelTestCases.class, guard());    // another, as a second JVM would write

        try (var parts = Files.list(dir.resolve("report"))) {
            assertThat(parts.filter(p -> p.getFileName().toString().matches("guard-\\d+-\\d+\\.tsv")).count()).isEqualTo(2);
        }
        String json = Files.readString(dir.resolve("report/guard-report.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"parts\": 2,")
                .contains("{\"site\": \"dev.gracefulshutdown.guard.SuiteGuardTest$ReportService.<init>\"")
                .contains("\"tests\": [\"dev.gracefulshutdown.guard.SuiteGuardTest$SharedServiceTestCases#first()\", "
                        + "\"dev.gracefulshutdown.guard.SuiteGuardTest$SharedServiceTestCases#second()\"]")
                .contains("\"POOL_NEVER_SHUT_DOWN\": 3");
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    static class MixedTestCases {
        static ExecutorService pool;
        static volatile Thread hook;

        @Test
        void poolNeverShutDown() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> { }).get();
        }

        @Test
        void cleanPool() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { }).get();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void cleanScheduler() throws Exception {
            var scheduler = Executors.newSingleThreadScheduledExecutor();
            scheduler.schedule(() -> { }, 1, TimeUnit.MILLISECONDS).get();
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void threadStillRunning() {
            Thread poller = new Thread(() -> {
                try {
                    forever.await();
                } catch (InterruptedException stop) {
                    // the guard's cleanup
                }
            }, "poller");
            poller.start();
        }

        @Test
        void threadIgnoringInterrupts() {
            new Thread(() -> {
                while (forever.getCount() > 0) {
                    try {
                        forever.await();
                    } catch (InterruptedException ignored) {
                        // keeps going
                    }
                }
            }, "stubborn").start();
        }

        @Test
        void cleanThread() throws InterruptedException {
            Thread worker = new Thread(() -> { }, "worker");
            worker.start();
            worker.join();
        }

        @Test
        void taskRunningAndTaskQueued() throws InterruptedException {
            // held in a field: on JDK 17 a collected newSingleThreadExecutor() wrapper shuts its pool down in finalize(),
            // and a garbage collection between the test's end and the guard's look would hide the pool's leak
            pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                try {
                    forever.await();
                } catch (InterruptedException stop) {
                    // the guard's cleanup
                }
            });
            pool.execute(() -> { });
            started.await();
        }

        @Test
        void hookNeverRemoved() {
            hook = new Thread(() -> { }, "flush-on-exit");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Test
        void threadDiesOfAnException() throws InterruptedException {
            Thread importer = new Thread(() -> {
                throw new IllegalStateException("bad row 7");
            }, "importer");
            importer.setUncaughtExceptionHandler((t, e) -> { }); // quiet in the build's output; still uncaught
            importer.start();
            importer.join();
        }

        @Test
        @GracefulShutdownTest
        void kitTestIsTheKits() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.submit(() -> { }).get();
            pool.shutdown();
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
        void kitTestCatchesItsOwnLeak() throws Exception {
            Executors.newFixedThreadPool(1).submit(() -> { }).get();
        }
    }

    static class ClassLevelTestCases {
        static java.util.concurrent.ScheduledExecutorService scheduler;

        @BeforeAll
        static void startScheduler() {
            scheduler = Executors.newSingleThreadScheduledExecutor();
        }

        @Test
        void first() throws Exception {
            scheduler.submit(() -> { }).get();
        }

        @Test
        void second() throws Exception {
            scheduler.submit(() -> { }).get();
        }
    }

    static class BaselineTestCases {
        static volatile boolean threadFixed;
        static volatile boolean newLeak;

        @Test
        void leakyPool() {
            Executors.newCachedThreadPool().execute(() -> { });
        }

        @Test
        void leakyThread() throws InterruptedException {
            Thread thread = new Thread(() -> {
                try {
                    forever.await();
                } catch (InterruptedException stop) {
                    // the guard's cleanup
                }
            });
            thread.start();
            if (threadFixed) {
                thread.interrupt();
                thread.join();
            }
        }

        @Test
        void clean() {
            if (newLeak) {
                Executors.newSingleThreadExecutor().execute(() -> { });
            }
        }
    }

    /** A service whose pool is never shut down: two tests hit it, the report shows its site once. */
    static final class ReportService {
        final ExecutorService pool = Executors.newFixedThreadPool(1);

        void render() throws Exception {
            pool.submit(() -> { }).get();
        }
    }

    static class SharedServiceTestCases {
        @Test
        void first() throws Exception {
            new ReportService().render();
        }

        @Test
        void second() throws Exception {
            new ReportService().render();
        }
    }
}
