package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

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

    /** JDK 19+: ExecutorService is AutoCloseable, and close() waits for the tasks. (Skipped on JDK 17.) */
    @Test
    @EnabledForJreRange(min = JRE.JAVA_19)
    void tryWithResourcesWaitsForTheTasks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (AutoCloseable closing = (AutoCloseable) pool) { // "try (ExecutorService pool = ...)" on a JDK 19+ baseline
            pool.submit(() -> 6 * 7);
        }
    }

    /** On SIGTERM the JVM runs hooks, then halts: a hook that shuts the pool down and awaits it keeps the work. */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.SIGTERM, gracePeriod = "5s") // the class's MAIN_RETURN otherwise
    void hookShutsDownAndAwaitsOnSigterm() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pool.shutdown();
            try {
                pool.awaitTermination(4, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        pool.submit(() -> 6 * 7);
    }
}
