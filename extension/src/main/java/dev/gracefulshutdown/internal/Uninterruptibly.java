package dev.gracefulshutdown.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits that an interrupt does not cut short, as the JVM's own shutdown waits are (it ignores interrupts while it
 * joins its hooks): an interrupt that arrives during the wait is kept, and the thread's interrupt status is set
 * again once the wait is over, so that the caller's caller still sees it.
 */
public final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /** Waits until the latch reaches zero. */
    public static void await(CountDownLatch latch) {
        retrying(() -> {
            latch.await();
            return null;
        });
    }

    /**
     * Waits until the latch reaches zero, at most {@code timeout}.
     *
     * @return whether it reached zero in time
     */
    public static boolean await(CountDownLatch latch, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return retrying(() -> latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
    }

    /**
     * Waits until the thread ends, at most {@code timeout} (not at all for a timeout that is not positive, unlike
     * {@link Thread#join(long)}, for which 0 means forever).
     *
     * @return whether the thread has ended
     */
    public static boolean join(Thread thread, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return retrying(() -> {
            TimeUnit.NANOSECONDS.timedJoin(thread, deadline - System.nanoTime());
            return !thread.isAlive();
        });
    }

    /** A wait that an interrupt cuts short; it takes its own deadline into account when it is tried again. */
    private interface Wait<T> {
        T attempt() throws InterruptedException;
    }

    /** Tries the wait again after each interrupt, and sets the thread's interrupt status again at the end. */
    private static <T> T retrying(Wait<T> wait) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return wait.attempt();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
