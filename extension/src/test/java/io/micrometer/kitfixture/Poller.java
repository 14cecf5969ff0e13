package io.micrometer.kitfixture;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands for a library (its package is a known library's) with housekeeping of its own, as a connection pool has:
 * {@link #start} creates the library's own executor, whose own thread then schedules the library's poll, which takes
 * its time (the poll's call site holds none of the user's frames, as a housekeeper's next round does); {@link #stop}
 * stops it with {@code shutdownNow()}. {@link #runForTheUser} runs the user's callback on the same executor.
 */
public final class Poller {

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "poller-housekeeper");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch polling = new CountDownLatch(1);

    private Poller() {
    }

    /** Starts the library's own poll and returns once it runs. */
    public static Poller start() throws InterruptedException {
        Poller poller = new Poller();
        // as a pool's housekeeper does: its first round, on the library's own thread, schedules the next one
        poller.executor.schedule(() -> poller.executor.schedule(new Poll(poller.polling), 0, TimeUnit.MILLISECONDS),
                0, TimeUnit.MILLISECONDS);
        poller.polling.await();
        return poller;
    }

    /** Runs the user's callback on the library's executor. */
    public void runForTheUser(Runnable callback) {
        executor.execute(callback);
    }

    /**
     * Watches for idleness on the user's call, as a server's endpoint does: the library's own lambda, holding only the
     * library's objects, submitted (so wrapped in the JDK's FutureTask); returns once it runs.
     */
    public void watchIdle() throws InterruptedException {
        CountDownLatch watching = new CountDownLatch(1);
        executor.submit(() -> idleCheck(watching));
        watching.await();
    }

    /**
     * Schedules a connection endpoint's idle check ({@link Endpoint}) on the user's call, as Jetty's endpoint does on its
     * scheduler, and returns once it runs.
     */
    public void watchAnEndpoint() throws InterruptedException {
        CountDownLatch checking = new CountDownLatch(1);
        executor.schedule(Endpoint.idleCheck(checking), 0, TimeUnit.MILLISECONDS);
        checking.await();
    }

    private void idleCheck(CountDownLatch watching) {
        watching.countDown();
        try {
            Thread.sleep(30_000); // until the next idle check
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Watches for idleness a while from now, as a server's endpoint does on every read: the library's own lambda,
     * scheduled on the user's call; once the library has stopped, the schedule is rejected, and the library lets it be.
     */
    public void watchIdleLater() {
        try {
            executor.schedule(() -> idleCheck(new CountDownLatch(1)), 30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // stopped: nothing to watch
        }
    }

    /** A time limiter's timer, as Resilience4j's: fails the call's future when it runs. */
    public static Runnable timeoutFor(java.util.concurrent.CompletableFuture<?> call) {
        return () -> call.completeExceptionally(new java.util.concurrent.TimeoutException("the call overran"));
    }

    /** Runs the user's callback later, in a lambda of the library's that holds it. */
    public void runLaterForTheUser(Runnable callback) {
        executor.schedule(() -> callback.run(), 0, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the user's callback after a delay, through a chain of the library's own objects (as a reactive library's
     * operators wrap the user's function): the user's code lies deeper than the kit looks into a library's task.
     */
    public void runLaterForTheUserThroughAChain(Runnable callback, long delayMillis) {
        executor.schedule(new Stage(new Stage(new Stage(callback))), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** One of the library's operators: runs what it wraps. */
    static final class Stage implements Runnable {
        private final Runnable next;

        Stage(Runnable next) {
            this.next = next;
        }

        @Override
        public void run() {
            next.run();
        }
    }

    public void stop() {
        executor.shutdownNow();
    }

    /** The library's own task: holds nothing of the user's. */
    static final class Poll implements Runnable {
        private final CountDownLatch polling;

        Poll(CountDownLatch polling) {
            this.polling = polling;
        }

        @Override
        public void run() {
            polling.countDown();
            try {
                Thread.sleep(30_000); // a long poll of the library's own
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
