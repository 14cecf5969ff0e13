package dev.gracefulshutdown;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Pieces of application behaviour that fixtures share. */
final class Work {

    private Work() {
    }

    /**
     * The textbook shutdown hook: stop accepting work, let the running work finish ({@code stopping} opens),
     * and wait for it, well within the grace periods the fixtures use.
     */
    static Thread drainOnShutdown(ExecutorService pool, CountDownLatch stopping) {
        return new Thread(() -> drain(pool, stopping), "drain-on-shutdown");
    }

    /** {@code shutdown()}, open {@code stopping}, then {@code awaitTermination} for up to 3 s. */
    static void drain(ExecutorService pool, CountDownLatch stopping) {
        pool.shutdown();
        stopping.countDown();
        awaitTermination(pool);
    }

    /** {@code awaitTermination} for up to 3 s. */
    static void awaitTermination(ExecutorService pool) {
        try {
            pool.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
