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

    @Test
    void sigtermIsARealSignalAndTheVerdictComesFromTheRealHalt() {
        Events events = Fixtures.tests(SigtermTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reportInFlightWithoutHook"))
                .contains("Graceful shutdown after SIGTERM (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.ForkedModeTest$SigtermTestCases")
                .contains("submitted at dev.gracefulshutdown.ForkedModeTest$SigtermTestCases.reportInFlightWithoutHook")
                .contains("forked JVM: exit code 143");
        Fixtures.assertPassed(events, "hookDrainsThePool");
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
    void hooksThatOutrunTheGracePeriodAreKilledAndExitInAHookDeadlocksForReal() {
        Events events = Fixtures.tests(HookTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookOutrunsTheGracePeriod"))
                .contains("HOOK_TIMEOUT: shutdown hook \"slow-hook\"")
                .contains("forked JVM: exit code 137, killed (SIGKILL)");
        assertThat(Fixtures.failureMessage(events, "hookThrows")).contains("1 violation").contains("HOOK_FAILED");
        assertThat(Fixtures.failureMessage(events, "hookCallsSystemExit")).contains("1 violation").contains("EXIT_IN_HOOK")
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

    @GracefulShutdownTest(fork = true, gracePeriod = "1s")
    static class HookTestCases {
        @Test
        void hookOutrunsTheGracePeriod() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LingeringThreadTest.await(new CountDownLatch(1)), "slow-hook"));
        }

        @Test
        void hookThrows() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                throw new IllegalStateException("metrics backend gone");
            }, "flush-metrics"));
        }

        @Test
        void hookCallsSystemExit() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.exit(1), "stopper"));
        }
    }

    @GracefulShutdownTest(fork = true)
    static class SimulatorTestCases {
        @Test
        void withSimulator(ShutdownSimulator jvm) {
            jvm.sigterm();
        }
    }

    @GracefulShutdownTest(fork = true, gracePeriod = "5s")
    static class SigtermTestCases {
        @Test
        void reportInFlightWithoutHook() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            started.await();
        }

        @Test
        void hookDrainsThePool() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
            });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, stopping));
            started.await();
        }
    }
}
