package dev.gracefulshutdown.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UninterruptiblyTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void anInterruptDoesNotCutTheWaitShortAndIsKept() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        Thread opener = new Thread(() -> {
            sleep(100);
            latch.countDown();
        });
        opener.start();
        Thread.currentThread().interrupt();

        long started = System.nanoTime();
        assertThat(Uninterruptibly.await(latch, 5, TimeUnit.SECONDS)).isTrue();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(90);
        assertThat(Thread.interrupted()).isTrue(); // kept, and cleared here: the join below must not see it
        opener.join();
    }

    @Test
    void aLatchThatStaysClosedTimesOut() {
        assertThat(Uninterruptibly.await(new CountDownLatch(1), 20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aJoinWaitsForTheThreadDespiteAnInterrupt() {
        Thread worker = new Thread(() -> sleep(100));
        worker.start();
        Thread.currentThread().interrupt();

        assertThat(Uninterruptibly.join(worker, 5, TimeUnit.SECONDS)).isTrue();
        assertThat(Thread.interrupted()).isTrue(); // kept, and cleared: it must not reach the next test
    }

    @Test
    void aJoinWithNoTimeLeftDoesNotWaitForever() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> Uninterruptibly.await(release));
        worker.start();
        try {
            assertThat(Uninterruptibly.join(worker, 0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(Uninterruptibly.join(worker, -5, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            release.countDown();
            worker.join();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
