package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.internal.Uninterruptibly;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kit's cleanup of the pools a test left: {@code shutdownNow()} on each, waited for a bounded time. It can block
 * for ever: a {@code ThreadPoolExecutor} holds its lock while it runs {@code terminated()}, and a worker stuck there
 * (or a pool of the user's whose {@code shutdownNow()} waits) would hang the suite. The calls run on a daemon thread
 * of the kit's, created as the test JVM's own; a pool that has not answered in time is left to the thread report.
 */
public final class PoolCleanup {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static volatile ExecutorService stoppers;

    private PoolCleanup() {
    }

    /**
     * Whether the cleanup knows how to stop the pool: an {@code ExecutorService}, or a library's pool whose adapter
     * says how (Netty's {@code HashedWheelTimer}, whose thread ignores interrupts).
     */
    public static boolean canStop(Object pool) {
        return pool instanceof ExecutorService || PoolAdapter.stopsLeftovers(pool);
    }

    /**
     * Calls {@code shutdownNow()} on every pool (an adapter's stop on a library's, {@link #canStop}); returns whether
     * they all answered within the time given.
     */
    public static boolean shutdownNow(List<?> pools, long timeout, TimeUnit unit) {
        if (pools.isEmpty()) {
            return true;
        }
        CountDownLatch answered = new CountDownLatch(1);
        Capture.asTheTestJvm(() -> stoppers().execute(() -> {
            for (Object pool : pools) {
                try {
                    if (pool instanceof ExecutorService) {
                        ((ExecutorService) pool).shutdownNow();
                    } else {
                        PoolAdapter.stopLeftover(pool);
                    }
                } catch (RuntimeException ignored) {
                    // a pool that refuses to stop is reported through its threads
                }
            }
            answered.countDown();
        }));
        return Uninterruptibly.await(answered, timeout, unit);
    }

    private static ExecutorService stoppers() {
        ExecutorService pool = stoppers;
        if (pool == null) {
            synchronized (PoolCleanup.class) {
                pool = stoppers;
                if (pool == null) {
                    // a cached pool: a thread stuck on one pool's lock never holds up the next cleanup
                    pool = Executors.newCachedThreadPool(task -> {
                        Thread thread = new Thread(task, "graceful-shutdown-cleanup-" + THREADS.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                    stoppers = pool;
                }
            }
        }
        return pool;
    }
}
