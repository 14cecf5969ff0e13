package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** fork = true: a real child JVM, really shut down, judged with the same verdicts and messages. */
class ForkedModeTest {

    /** Runs an in-process fixture class as it is, every test in a forked JVM. */
    static Events forked(Class<?> fixture) {
        return Fixtures.tests(fixture, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");
    }

    @Test
    void sigtermIsARealSignalAndTheVerdictComesFromTheRealHalt() {
        Events events = forked(TaskViolationsTest.AbandonedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reportInFlightWithoutHook"))
                .contains("Graceful shutdown after SIGTERM (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.TaskViolationsTest$AbandonedTestCases")
                .contains("submitted at dev.gracefulshutdown.TaskViolationsTest$AbandonedTestCases.reportInFlightWithoutHook")
                .contains("at the halt: TIMED_WAITING in java.util.concurrent.CountDownLatch.await")
                .contains("forked JVM: exit code 143");
        assertThat(Fixtures.failureMessage(events, "hookShutsDownWithoutAwaiting")).contains("1 violation").contains("ABANDONED_TASK");
        Fixtures.assertPassed(events, "hookShutsDownAndAwaits");
    }

    @Test
    void mainReturnIsARealReturnAndTheRealJvmWaitsForNonDaemonThreads() {
        Events events = Fixtures.tests(MainReturnTestCases.class);

        assertThat(Fixtures.failureMessage(events, "poolNeverShutDown"))
                .contains("Graceful shutdown after main returned (the JVM would not exit within the exit timeout of 1 s)")
                .contains("LINGERING_THREAD: non-daemon thread \"pool-")
                .contains("still running 1 s after main returned (the exit timeout); the forked JVM was killed")
                .contains("forked JVM: never exited, killed (SIGKILL)");
        Fixtures.assertPassed(events, "poolShutDown");
    }

    @Test
    void exitIsARealSystemExit() {
        Events events = Fixtures.tests(ExitTestCases.class);

        assertThat(Fixtures.failureMessage(events, "exitInCodeUnderTest"))
                .contains("Graceful shutdown after System.exit(3) (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK")
                .contains("forked JVM: exit code 3");
    }

    @Test
    void hooksThatOutrunTheGracePeriodAreKilled() {
        Events events = forked(HookViolationsTest.TimeoutTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookAwaitsLongerThanTheGracePeriod"))
                .contains("Graceful shutdown after SIGTERM (grace period 200 ms): 2 violations")
                .contains("HOOK_TIMEOUT: shutdown hook \"drain-reports\" was still running when the grace period of 200 ms "
                        + "ended: the JVM was killed (SIGKILL, exit code 137)")
                .contains("ABANDONED_TASK")
                .contains("forked JVM: exit code 137, killed (SIGKILL)");
        Fixtures.assertPassed(events, "hookWithinTheGracePeriod");
    }

    @Test
    void aHookThatOverrunsTheGracePeriodByLessThanTheKillDelayIsStillATimeout() {
        // the forked JVM is killed a little after the grace period (its recording must be written): a hook that ends
        // in between would have been killed by the orchestrator all the same
        Events events = Fixtures.tests(SlightOverrunTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookEndsJustAfterTheGracePeriod"))
                .contains("HOOK_TIMEOUT: shutdown hook \"flush\" was still running when the grace period of 500 ms ended")
                .contains("forked JVM: exit code 143");
    }

    @Test
    void theRealShutdownBeginsWhenTheMethodReturnsBeforeTheTestsCleanup() {
        Events events = forked(CleanupTestCases.class);

        Fixtures.assertPassed(events, "hookFindsTheServerTheTestSetUp");
    }

    @Test
    void aHookThatThrowsIsSeenInTheRealJvm() {
        Events events = forked(HookViolationsTest.FailingHookTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookThrows"))
                .contains("1 violation")
                .contains("HOOK_FAILED: shutdown hook \"flush-metrics\" threw java.lang.IllegalStateException: metrics backend gone");
        Fixtures.assertPassed(events, "hookCatchesItsFailure");
    }

    @Test
    void exitInAHookDeadlocksTheRealJvmUntilItIsKilled() {
        Events events = Fixtures.tests(ExitInHookTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookCallsSystemExit")).contains("1 violation")
                .contains("EXIT_IN_HOOK: shutdown hook \"stopper\" called System.exit")
                .contains("killed (SIGKILL)");
    }

    @Test
    void aShutdownSimulatorCannotBeForked() {
        Events events = Fixtures.tests(SimulatorTestCases.class);

        assertThat(Fixtures.failure(events, "withSimulator"))
                .isInstanceOf(org.junit.jupiter.api.extension.ParameterResolutionException.class)
                .hasMessageContaining("@GracefulShutdownTest(fork = true) on withSimulator(ShutdownSimulator): a ShutdownSimulator "
                        + "cannot be used in a forked test");
    }

    @GracefulShutdownTest(fork = true, trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "1s")
    static class MainReturnTestCases {
        @Test
        void poolNeverShutDown() throws Exception {
            Executors.newFixedThreadPool(2).submit(() -> { }).get();
        }

        @Test
        void poolShutDown() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> { }).get();
            pool.shutdown();
        }
    }

    @GracefulShutdownTest(fork = true, trigger = ShutdownTrigger.EXIT, gracePeriod = "5s")
    static class ExitTestCases {
        @Test
        void exitInCodeUnderTest() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            started.await();
            System.exit(3);
        }
    }

    @GracefulShutdownTest(fork = true, gracePeriod = "500ms")
    static class SlightOverrunTestCases {
        @Test
        void hookEndsJustAfterTheGracePeriod() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new java.util.concurrent.CountDownLatch(1).await(1200, java.util.concurrent.TimeUnit.MILLISECONDS); // slow flushing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "flush"));
        }
    }

    @GracefulShutdownTest(fork = true, gracePeriod = "1s")
    static class ExitInHookTestCases {
        @Test
        void hookCallsSystemExit() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.exit(1), "stopper"));
        }
    }

    /** A server set up by the test's class, which its cleanup would tear down: in the real JVM the cleanup never runs. */
    @GracefulShutdownTest(fork = true, gracePeriod = "5s")
    static class CleanupTestCases {
        static volatile boolean serverUp;

        @org.junit.jupiter.api.BeforeAll
        static void startServer() {
            serverUp = true;
        }

        @org.junit.jupiter.api.AfterEach
        void resetState() {
            serverUp = false;
        }

        @org.junit.jupiter.api.AfterAll
        static void stopServer() {
            serverUp = false;
        }

        @Test
        void hookFindsTheServerTheTestSetUp() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!serverUp) {
                    throw new IllegalStateException("the test's cleanup ran before the shutdown");
                }
            }, "flush-to-server"));
        }
    }

    @GracefulShutdownTest(fork = true)
    static class SimulatorTestCases {
        @Test
        void withSimulator(ShutdownSimulator jvm) {
            jvm.sigterm();
        }
    }
}
