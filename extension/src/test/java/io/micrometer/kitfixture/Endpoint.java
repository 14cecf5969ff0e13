package io.micrometer.kitfixture;

import java.util.concurrent.CountDownLatch;

/**
 * Stands for a server's connection endpoint (its package is a known library's), as Jetty's is: its idle check is a
 * lambda of its abstract superclass that captures the endpoint, which reaches, through an interface, the library's
 * buffer pool, whose state is arrays: an {@code int[]} of indexes, an array of the library's buckets. Or, handed the
 * user's handlers, an array that holds the user's code.
 */
public final class Endpoint extends IdleTimeout {

    /** What the endpoint was handed, as an interface: the library's pool. */
    interface Pool {
    }

    /** The library's buffer pool: its state is arrays. */
    static final class BufferPool implements Pool {
        final int[] indexes = {0, 1, 2};
        final Bucket[] buckets = {new Bucket(), new Bucket()};
    }

    static final class Bucket {
        final byte[] bytes = new byte[8];
    }

    private final Pool pool = new BufferPool();
    private final Runnable[] handlers;
    private final CountDownLatch checking;

    private Endpoint(CountDownLatch checking, Runnable... handlers) {
        this.checking = checking;
        this.handlers = handlers;
    }

    /** The idle check of an endpoint that holds only the library's state. */
    public static Runnable idleCheck() {
        return new Endpoint(null).idleCheckTask();
    }

    /** The same, which says when it runs and then takes its time (closing an idle connection). */
    static Runnable idleCheck(CountDownLatch checking) {
        return new Endpoint(checking).idleCheckTask();
    }

    /** The idle check of an endpoint that was handed the user's handlers. */
    public static Runnable idleCheckWithHandlers(Runnable... handlers) {
        return new Endpoint(null, handlers).idleCheckTask();
    }

    @Override
    void checkIdle() {
        if (pool == null || handlers == null) {
            throw new IllegalStateException("never");
        }
        if (checking != null) {
            checking.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
