package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A library submits tasks of its own on the user's calls: a cache's cleanup after a put is the library's business,
 * lost or not; a library's wrapper around the user's callable is the user's work. Both wait in the same queue, behind
 * a task of the user's that still runs at the halt.
 */
class LibrarysOwnTasksTest {

    @Test
    void aCachesCleanupLeftInTheQueueIsNotTheUsersLostWork() {
        Events events = Fixtures.tests(CacheTestCases.class);

        String message = Fixtures.failureMessage(events, "cleanupQueuedBehindTheUsersTask");
        assertThat(message).contains("1 violation").contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibrarysOwnTasksTest$CacheTestCases.busyPool")
                .doesNotContain("PerformCleanupTask").doesNotContain("DROPPED_TASK");
    }

    @Test
    void aLibrarysWrapperAroundTheUsersCallableIsTheUsersWork() {
        Events events = Fixtures.tests(CacheTestCases.class);

        String message = Fixtures.failureMessage(events, "guavaSubmissionQueuedBehindTheUsersTask");
        assertThat(message).contains("2 violations").contains("ABANDONED_TASK").contains("DROPPED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibrarysOwnTasksTest$CacheTestCases.guavaSubmissionQueuedBehindTheUsersTask");
    }

    static class CacheTestCases {

        /** One worker, busy with the user's task until the halt: whatever is submitted after it waits in the queue. */
        static ExecutorService busyPool() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            pool.execute(() -> {
                running.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            running.await();
            return pool;
        }

        @Test
        @GracefulShutdownTest
        void cleanupQueuedBehindTheUsersTask() throws InterruptedException {
            Cache<Integer, String> cache = Caffeine.newBuilder().maximumSize(10).executor(busyPool()).build();
            for (int i = 0; i < 1_000; i++) {
                cache.put(i, "value " + i); // evictions: the cache hands its cleanup to the busy pool
            }
        }

        @Test
        @GracefulShutdownTest
        void guavaSubmissionQueuedBehindTheUsersTask() throws InterruptedException {
            ListeningExecutorService pool = MoreExecutors.listeningDecorator(busyPool());
            pool.submit(() -> "the user's export");
        }
    }
}
