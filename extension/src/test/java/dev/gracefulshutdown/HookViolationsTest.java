package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class HookViolationsTest {

    @Test
    void hooksThatOutrunTheGracePeriodWouldBeKilled() {
        Events events = Fixtures.tests(TimeoutTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookAwaitsLongerThanTheGracePeriod"))
                .contains("Graceful shutdown after SIGTERM (grace period 200 ms): 2 violations")
                .contains("HOOK_TIMEOUT: shutdown hook \"drain-reports\" was still running when the grace period of 200 ms ended: "
                        + "the process would be killed (SIGKILL)")
                .contains("registered at dev.gracefulshutdown.HookViolationsTest$TimeoutTestCases.hookAwaitsLongerThanTheGracePeriod")
                .contains("at the halt: TIMED_WAITING")
                .contains("ABANDONED_TASK")
                .contains("fix: make the hooks finish within the grace period");
        Fixtures.assertPassed(events, "hookWithinTheGracePeriod");
    }

    @Test
    void hookThatThrowsIsReportedWithTheException() {
        Events events = Fixtures.tests(FailingHookTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookThrows"))
                .contains("1 violation")
                .contains("HOOK_FAILED: shutdown hook \"flush-metrics\" threw java.lang.IllegalStateException: metrics backend gone")
                .contains("registered at dev.gracefulshutdown.HookViolationsTest$FailingHookTestCases.hookThrows")
                .contains("fix: catch and log exceptions inside the hook");
        Fixtures.assertPassed(events, "hookCatchesItsFailure");
    }

    @Test
    void exitInAHookWouldDeadlockARealJvmAndIsReportedWithoutWaitingForTheGracePeriod() {
        Events events = Fixtures.tests(ExitInHookTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookCallsSystemExit"))
                .contains("1 violation")
                .contains("EXIT_IN_HOOK: shutdown hook \"stopper\" called System.exit: a real JVM deadlocks there")
                .contains("fix: never call System.exit from a shutdown hook");
        Fixtures.assertPassed(events, "hookReturns");
    }

    @Test
    void hooksFollowTheJdkRules() {
        Events events = Fixtures.tests(HookRulesTestCases.class);

        Fixtures.assertPassed(events, "registeringDuringTheShutdownThrowsLikeTheJdk", "aRemovedHookNeverRuns",
                "registeringTwiceThrowsLikeTheJdk", "hooksRunConcurrently");
    }

    @Test
    void capturedHooksAreNeverInstalledInTheRealJvm() {
        Fixtures.tests(HookRulesTestCases.class);

        Thread captured = HookRulesTestCases.captured.get();
        assertThat(captured).isNotNull();
        // Outside any test scope this reaches the real JVM: the hook is not there.
        assertThat(Runtime.getRuntime().removeShutdownHook(captured)).isFalse();
    }

    @Test
    void outsideATestHooksGoToTheRealJvm() {
        Thread hook = new Thread(() -> { });
        Runtime.getRuntime().addShutdownHook(hook);
        assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
        assertThatThrownBy(() -> Runtime.getRuntime().removeShutdownHook(null)).isInstanceOf(NullPointerException.class);
    }

    @GracefulShutdownTest(gracePeriod = "200ms")
    static class TimeoutTestCases {
        @Test
        void hookAwaitsLongerThanTheGracePeriod() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdown();
                try {
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "drain-reports"));
            started.await();
        }

        @Test
        void hookWithinTheGracePeriod() {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdown();
                try {
                    pool.awaitTermination(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "drain-reports"));
        }
    }

    @GracefulShutdownTest
    static class FailingHookTestCases {
        @Test
        void hookThrows() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                throw new IllegalStateException("metrics backend gone");
            }, "flush-metrics"));
        }

        @Test
        void hookCatchesItsFailure() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    throw new IllegalStateException("metrics backend gone");
                } catch (IllegalStateException e) {
                    // logged, and the rest of the cleanup goes on
                }
            }, "flush-metrics"));
        }
    }

    @GracefulShutdownTest(gracePeriod = "30s")
    static class ExitInHookTestCases {
        @Test
        void hookCallsSystemExit(ShutdownSimulator jvm) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.exit(1), "stopper"));
            // failing here would fail the test with this, before the verdict the outer test reads
            assertThat(jvm.sigterm().timings().hooks()).isLessThan(java.time.Duration.ofSeconds(10));
        }

        @Test
        void hookReturns() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "stopper"));
        }
    }

    @GracefulShutdownTest
    static class HookRulesTestCases {
        static final AtomicReference<Thread> captured = new AtomicReference<>();

        @Test
        void registeringDuringTheShutdownThrowsLikeTheJdk(ShutdownSimulator jvm) {
            AtomicReference<Throwable> add = new AtomicReference<>();
            AtomicReference<Throwable> remove = new AtomicReference<>();
            Thread hook = new Thread(() -> {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> { }));
                } catch (Throwable e) {
                    add.set(e);
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(Thread.currentThread());
                } catch (Throwable e) {
                    remove.set(e);
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            captured.set(hook);
            ShutdownAssertions.assertThat(jvm.sigterm()).isClean();
            assertThat(add.get()).isInstanceOf(IllegalStateException.class).hasMessage("Shutdown in progress");
            assertThat(remove.get()).isInstanceOf(IllegalStateException.class).hasMessage("Shutdown in progress");
        }

        @Test
        void aRemovedHookNeverRuns(ShutdownSimulator jvm) {
            CountDownLatch ran = new CountDownLatch(1);
            Thread hook = new Thread(ran::countDown);
            Runtime.getRuntime().addShutdownHook(hook);
            assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
            ShutdownReport report = jvm.sigterm();
            assertThat(ran.getCount()).isEqualTo(1);
            assertThat(report.hooks()).isEmpty();
        }

        @Test
        void registeringTwiceThrowsLikeTheJdk() {
            Thread hook = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(hook);
            assertThatThrownBy(() -> Runtime.getRuntime().addShutdownHook(hook))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Hook previously registered");
        }

        @Test
        void hooksRunConcurrently(ShutdownSimulator jvm) {
            CountDownLatch both = new CountDownLatch(2);
            Runnable meetTheOther = () -> {
                both.countDown();
                LingeringThreadTest.await(both); // would time out if the hooks ran one after the other
            };
            Runtime.getRuntime().addShutdownHook(new Thread(meetTheOther, "first"));
            Runtime.getRuntime().addShutdownHook(new Thread(meetTheOther, "second"));
            ShutdownReport report = jvm.sigterm();
            ShutdownAssertions.assertThat(report).isClean();
            assertThat(both.getCount()).isZero();
            assertThat(report.hooks()).extracting(CapturedHook::outcome).containsOnly(CapturedHook.Outcome.COMPLETED);
        }
    }
}
