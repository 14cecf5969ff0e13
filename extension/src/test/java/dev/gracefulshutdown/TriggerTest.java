package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class TriggerTest {

    @Test
    void systemExitInCodeUnderTestBecomesTheTriggerAndNeverExitsTheTestJvm() {
        Events events = Fixtures.tests(ExitTestCases.class);

        assertThat(Fixtures.failureMessage(events, "exitWithWorkInFlight"))
                .contains("Graceful shutdown after System.exit(3) (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK");
        Fixtures.assertPassed(events, "exitAfterHookDrainsThePool", "exitFromAWorkerThread", "haltSkipsTheHooks");
        // Reaching this line proves that none of those exits reached the test JVM.
    }

    @Test
    void theSimulatorTriggersEachShutdownOnceAndReturnsTheReport() {
        Events events = Fixtures.tests(SimulatorTestCases.class);

        Fixtures.assertPassed(events, "sigtermReportsStatus143", "exitReportsItsStatus", "mainReturnReportsStatus0",
                "aSecondTriggerIsRefused", "codeAfterTheTriggerRuns");
    }

    @Test
    void theTriggerAttributeChoosesTheShutdownAtTheEndOfTheMethod() {
        Events events = Fixtures.tests(AttributeTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sigtermByDefault")).contains("after SIGTERM");
        assertThat(Fixtures.failureMessage(events, "mainReturn")).contains("after main returned");
        assertThat(Fixtures.failureMessage(events, "exit")).contains("after System.exit(0)");
    }

    @Test
    void everyInvocationOfARepeatedOrParameterizedTestIsJudged() {
        Events events = Fixtures.tests(TemplateTestCases.class);

        assertThat(events.failed().count()).isEqualTo(3);
        assertThat(Fixtures.failureMessage(events, "leakyRepeated")).contains("LINGERING_THREAD");
        assertThat(Fixtures.failureMessage(events, "leakyParameterized")).contains("LINGERING_THREAD");
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class TemplateTestCases {
        static final java.util.List<Object> HELD = new java.util.ArrayList<>(); // unreachable, it would shut itself down

        @org.junit.jupiter.api.RepeatedTest(2)
        void leakyRepeated() {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            HELD.add(pool);
            pool.execute(() -> { });
        }

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(ints = 1)
        void leakyParameterized(int size) {
            Executors.newFixedThreadPool(size).execute(() -> { });
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class ExitTestCases {
        @Test
        void exitWithWorkInFlight() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            started.await();
            System.exit(3);
        }

        @Test
        void exitAfterHookDrainsThePool(ShutdownSimulator jvm) throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(stopping);
            });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, stopping));
            started.await();
            try {
                Runtime.getRuntime().exit(3);
            } finally {
                ShutdownReport report = ((dev.gracefulshutdown.internal.simulate.Simulation) jvm).reportOrTrigger(ShutdownTrigger.SIGTERM);
                assertThat(report.exitStatus()).as("the exit's own status, not SIGTERM's").contains(3);
            }
        }

        @Test
        void exitFromAWorkerThread(ShutdownSimulator jvm) throws InterruptedException {
            Thread worker = new Thread(() -> System.exit(7), "exiting-worker");
            worker.start();
            worker.join(5_000);
            assertThat(jvm.hasShutDown()).isTrue();
            ShutdownReport report = ((dev.gracefulshutdown.internal.simulate.Simulation) jvm).reportOrTrigger(ShutdownTrigger.SIGTERM);
            assertThat(report.trigger()).isEqualTo(ShutdownTrigger.EXIT);
            assertThat(report.exitStatus()).contains(7);
        }

        @Test
        void haltSkipsTheHooks() {
            CountDownLatch hookRan = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(hookRan::countDown));
            try {
                Runtime.getRuntime().halt(1);
            } catch (Error halted) {
                assertThat(hookRan.getCount()).isEqualTo(1);
                throw halted;
            }
        }
    }

    @GracefulShutdownTest
    static class SimulatorTestCases {
        @Test
        void sigtermReportsStatus143(ShutdownSimulator jvm) {
            ShutdownAssertions.assertThat(jvm.sigterm()).isClean().hasExitStatus(143);
        }

        @Test
        void exitReportsItsStatus(ShutdownSimulator jvm) {
            ShutdownReport report = jvm.exit(2);
            assertThat(report.trigger()).isEqualTo(ShutdownTrigger.EXIT);
            ShutdownAssertions.assertThat(report).hasExitStatus(2);
        }

        @Test
        void mainReturnReportsStatus0(ShutdownSimulator jvm) {
            ShutdownAssertions.assertThat(jvm.mainReturn()).isClean().hasExitStatus(0);
        }

        @Test
        void aSecondTriggerIsRefused(ShutdownSimulator jvm) {
            jvm.sigterm();
            assertThatThrownBy(jvm::sigterm).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already shut down (by SIGTERM)");
        }

        @Test
        void codeAfterTheTriggerRuns(ShutdownSimulator jvm) {
            jvm.sigterm();
            assertThat(jvm.hasShutDown()).isTrue();
        }
    }

    static class AttributeTestCases {
        @Test
        @GracefulShutdownTest(exitTimeout = "0s")
        void sigtermByDefault() {
            new Thread(() -> LingeringThreadTest.await(new CountDownLatch(1))).start();
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "0s")
        void mainReturn() {
            new Thread(() -> LingeringThreadTest.await(new CountDownLatch(1))).start();
        }

        @Test
        @GracefulShutdownTest(trigger = ShutdownTrigger.EXIT)
        void exit() {
            new Thread(() -> LingeringThreadTest.await(new CountDownLatch(1))).start();
        }
    }
}
