package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Story 2: "Python waits for my pool at exit, does Java?" It does not: when {@code main} returns, the JVM
 * waits for every non-daemon thread, and an idle worker of {@code Executors.newFixedThreadPool} waits for
 * work forever.
 */
@GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
class ExecutorLifecycleTest {

    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
    void poolLikeInPythonKeepsTheJvmAlive() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> answer = pool.submit(() -> 6 * 7);
        answer.get();
    }

    @Test
    void shutdownInFinallyLetsTheJvmExit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            pool.submit(() -> 6 * 7).get();
        } finally {
            pool.shutdown(); // queued work still runs; the workers end once the queue is empty
        }
    }
}
