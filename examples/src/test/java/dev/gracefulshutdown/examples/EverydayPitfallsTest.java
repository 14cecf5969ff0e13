package dev.gracefulshutdown.examples;

import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What real users hit beside the four stories: a Timer, work on the common pool, System.exit in a hook. */
class EverydayPitfallsTest {

    /*
     * new Timer() starts a non-daemon thread that waits for timer tasks until cancel(). Without expect:
     *
     * 1) LINGERING_THREAD: non-daemon thread "Timer-0" keeps the JVM alive after main returns
     *      why: it is the thread of a java.util.Timer that is never cancelled: it waits for timer tasks forever
     *      fix: call timer.cancel() when the application stops, or create it with new Timer(true) ...
     */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
    void timerNeverCancelled() {
        new Timer().schedule(heartbeat(), 0, 1_000);
    }

    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    void timerCancelledWhenTheApplicationStops() {
        Timer timer = new Timer();
        timer.schedule(heartbeat(), 0, 1_000);
        timer.cancel();
    }

    /*
     * CompletableFuture.runAsync runs on the common pool, whose threads are daemons: at SIGTERM the work just
     * dies. Without expect (JDK 21+):
     *
     * 1) ABANDONED_TASK: task lambda in dev.gracefulshutdown.examples.EverydayPitfallsTest (task#1) on ForkJoinPool.commonPool()
     *    was still running on thread "ForkJoinPool.commonPool-worker-1" when the JVM halted
     *
     * On JDK 17 with fewer than three cores, CompletableFuture ignores the common pool even when it is named
     * and starts a thread per task ("task on its own thread "Thread-9" ..."): the same verdict on SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", expect = Violation.Kind.ABANDONED_TASK)
    void commonPoolWorkAtSigterm() {
        AtomicBoolean running = new AtomicBoolean();
        CompletableFuture.runAsync(() -> upload(running), ForkJoinPool.commonPool());
        await().atMost(Duration.ofSeconds(5)).untilTrue(running);
    }

    @Test
    @GracefulShutdownTest(gracePeriod = "5s")
    void hookJoinsTheCommonPoolWork() {
        AtomicBoolean running = new AtomicBoolean();
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> upload(running), ForkJoinPool.commonPool());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> upload.orTimeout(4, TimeUnit.SECONDS).join()));
        await().atMost(Duration.ofSeconds(5)).untilTrue(running);
    }

    /*
     * System.exit in a shutdown hook blocks forever on the lock held by the exiting thread: the process hangs
     * until it is killed. Without expect:
     *
     * 1) EXIT_IN_HOOK: shutdown hook "Thread-..." called System.exit: a real JVM deadlocks there and hangs until it is killed
     */
    @Test
    @GracefulShutdownTest(expect = Violation.Kind.EXIT_IN_HOOK)
    void systemExitInAHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // "make sure we exit with an error status"
            System.exit(1);
        }));
    }

    @Test
    @GracefulShutdownTest
    void hookThatJustReturns() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }));
    }

    private static TimerTask heartbeat() {
        return new TimerTask() {
            @Override
            public void run() {
            }
        };
    }

    private static void upload(AtomicBoolean running) {
        running.set(true);
        try {
            Thread.sleep(1_000); // stands for an upload
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
