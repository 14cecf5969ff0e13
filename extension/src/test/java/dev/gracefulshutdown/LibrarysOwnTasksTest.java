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
    void aCachesMaintenanceWaitingInCompletableFuturesDelayerIsNotTheUsersLostWork() {
        Events events = Fixtures.tests(DelayedRelayTestCases.class);

        Fixtures.assertPassed(events, "cacheWithTheSystemSchedulerAndAnExpiry");
        assertThat(Fixtures.failureMessage(events, "theUsersDelayedTask")).contains("1 violation").contains("DROPPED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibrarysOwnTasksTest$DelayedRelayTestCases.theUsersDelayedTask");
        assertThat(Fixtures.failureMessage(events, "aLibrarysDelayedCallOfTheUsersCode")).contains("DROPPED_TASK");
    }

    @Test
    void theForkedJvmAgreesOnACachesMaintenanceInTheDelayer() {
        Events events = Fixtures.tests(DelayedRelayTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        Fixtures.assertPassed(events, "cacheWithTheSystemSchedulerAndAnExpiry");
        assertThat(Fixtures.failureMessage(events, "theUsersDelayedTask")).contains("DROPPED_TASK");
    }

    /**
     * {@code CompletableFuture.delayedExecutor} relays a task through the JDK's wrappers: Caffeine's maintenance,
     * scheduled by its system scheduler for the next expiry, is Caffeine's; the user's own task, or a library's relay of
     * the user's code, is the user's.
     */
    @GracefulShutdownTest(gracePeriod = "5s")
    static class DelayedRelayTestCases {
        @Test
        void cacheWithTheSystemSchedulerAndAnExpiry() throws Exception {
            com.github.benmanes.caffeine.cache.AsyncLoadingCache<String, String> cache = Caffeine.newBuilder()
                    .expireAfterWrite(java.time.Duration.ofMinutes(5))
                    .scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                    .buildAsync(key -> key);
            cache.get("report").get();
        }

        @Test
        void theUsersDelayedTask() {
            java.util.concurrent.CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.HOURS)
                    .execute(() -> System.out.println("the user's reminder"));
        }

        @Test
        void aLibrarysDelayedCallOfTheUsersCode() {
            com.github.benmanes.caffeine.cache.Scheduler.systemScheduler().schedule(Runnable::run,
                    () -> System.out.println("the user's reminder"), 1, java.util.concurrent.TimeUnit.HOURS);
        }
    }

    @Test
    void aLibrarysWrapperAroundTheUsersCallableIsTheUsersWork() {
        Events events = Fixtures.tests(CacheTestCases.class);

        String message = Fixtures.failureMessage(events, "guavaSubmissionQueuedBehindTheUsersTask");
        assertThat(message).contains("2 violations").contains("ABANDONED_TASK").contains("DROPPED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibrarysOwnTasksTest$CacheTestCases.guavaSubmissionQueuedBehindTheUsersTask");
    }

    @Test
    void aLibrarysWrapperAroundTheJdksAdapterAroundTheUsersRunnableIsTheUsersWork() {
        Events events = Fixtures.tests(CacheTestCases.class);

        assertThat(Fixtures.failureMessage(events, "guavaDelayedRunnableNeverRuns")).contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.LibrarysOwnTasksTest$CacheTestCases, inside "
                        + "com.google.common.util.concurrent.TrustedListenableFutureTask (task#1) on ScheduledThreadPoolExecutor#1 "
                        + "was accepted but never started");
    }

    @Test
    void anEventBusDeliveryQueuedBehindTheUsersTaskIsTheUsersListenersWork() {
        Events events = Fixtures.tests(CacheTestCases.class);

        assertThat(Fixtures.failureMessage(events, "guavaAsyncEventQueuedBehindTheUsersTask")).contains("2 violations")
                .contains("ABANDONED_TASK")
                .contains("DROPPED_TASK: task dev.gracefulshutdown.LibrarysOwnTasksTest$OrderListener, inside lambda in "
                        + "com.google.common.eventbus.Subscriber (task#2)")
                .contains("submitted at dev.gracefulshutdown.LibrarysOwnTasksTest$CacheTestCases.guavaAsyncEventQueuedBehindTheUsersTask");
    }

    /** A listener of the application's, its method called by Guava's event bus by reflection. */
    public static class OrderListener {
        @com.google.common.eventbus.Subscribe
        public void onOrder(String order) {
            System.out.println("the user's handling of " + order);
        }
    }

    @Test
    void aConnectionPoolsOwnTimersNeverRunAreNotTheUsersLostWork() {
        Events events = Fixtures.tests(TimerTestCases.class);

        Fixtures.assertPassed(events, "connectionPoolUsedAndNeverClosed", "connectionPoolClosedInAHook");
    }

    @Test
    void aReactiveTimerWhoseChainEndsInTheUsersFunctionIsTheUsersWork() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reactiveTimerNeverFired")).contains("1 violation").contains("DROPPED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibrarysOwnTasksTest$TimerTestCases.reactiveTimerNeverFired");
    }

    @Test
    void aLibrarysRetryScheduledFromALibraryThreadCarriesTheUsersCall() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "retryScheduledByTheThreadOfTheFailedCall")).contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.LibrarysOwnTasksTest$TimerTestCases, inside "
                        + "io.github.resilience4j.retry.Retry$AsyncRetryBlock")
                .contains("was accepted but never started");
        Fixtures.assertPassed(events, "retryThatSucceeded");
    }

    /** Failsafe's retry is six lambdas, each around the next, the last around the user's: one wrapper, whatever its depth. */
    @Test
    void aRetryMadeOfClosuresAroundTheUsersCallIsTheUsersWork() {
        Events events = Fixtures.tests(TimerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "failsafeRetryPendingAtTheHalt")).contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.LibrarysOwnTasksTest$TimerTestCases, inside "
                        + "lambda in dev.failsafe.internal.util.DelegatingScheduler")
                .contains("was accepted but never started");
        Fixtures.assertPassed(events, "failsafeRetryAwaitedByAHook");
    }

    @Test
    void theForkedJvmAgreesOnARetryMadeOfClosures() {
        Events events = Fixtures.tests(FailsafeTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "failsafeRetryPendingAtTheHalt")).contains("1 violation")
                .contains("DROPPED_TASK").contains("inside lambda in dev.failsafe.internal.util.DelegatingScheduler")
                .contains("forked JVM");
        Fixtures.assertPassed(events, "failsafeRetryAwaitedByAHook");
    }

    /** The Failsafe cases alone, for the forked run. */
    @GracefulShutdownTest(gracePeriod = "5s")
    static class FailsafeTestCases {
        @Test
        void failsafeRetryPendingAtTheHalt() {
            new TimerTestCases().failsafeRetryPendingAtTheHalt();
        }

        @Test
        void failsafeRetryAwaitedByAHook() {
            new TimerTestCases().failsafeRetryAwaitedByAHook();
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class TimerTestCases {

        static com.zaxxer.hikari.HikariDataSource pool(String name) throws java.sql.SQLException {
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            config.setMaximumPoolSize(2);
            com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
            try (java.sql.Connection connection = pool.getConnection()) { // each connection gets its max-lifetime timer
                connection.createStatement().execute("SELECT 1");
            }
            return pool;
        }

        @Test
        void connectionPoolUsedAndNeverClosed() throws Exception {
            pool("never-closed"); // its threads are daemons; its timers were never due
        }

        @Test
        void connectionPoolClosedInAHook() throws Exception {
            com.zaxxer.hikari.HikariDataSource pool = pool("closed");
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        }

        /**
         * The first call fails on the calls' pool; Resilience4j schedules the retry from there, a thread with none of
         * the user's code on its stack, as its own task holding the user's call.
         */
        @Test
        void retryScheduledByTheThreadOfTheFailedCall() {
            java.util.concurrent.ScheduledThreadPoolExecutor retries = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
            ExecutorService calls = Executors.newSingleThreadExecutor();
            io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("payments",
                    io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(3).waitDuration(java.time.Duration.ofMinutes(1)).build());
            retry.executeCompletionStage(retries, () -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("the payment service is down");
            }, calls));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> retries.getQueue().size() == 1);
            calls.shutdown();
        }

        @Test
        void retryThatSucceeded() throws Exception {
            java.util.concurrent.ScheduledThreadPoolExecutor retries = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
            ExecutorService calls = Executors.newSingleThreadExecutor();
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("payments",
                    io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(3).waitDuration(java.time.Duration.ofMillis(10)).build());
            String paid = retry.executeCompletionStage(retries, () -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("the payment service is down");
                }
                return "paid";
            }, calls)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(paid).isEqualTo("paid");
            calls.shutdown();
            retries.shutdown();
        }

        @Test
        void failsafeRetryPendingAtTheHalt() {
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            dev.failsafe.Failsafe.with(dev.failsafe.RetryPolicy.builder().withDelay(java.time.Duration.ofMinutes(1)).withMaxRetries(3).build())
                    .runAsync(() -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("the payment service is down");
                    });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
        }

        @Test
        void failsafeRetryAwaitedByAHook() {
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            // the application's own scheduler, awaited by the hook after the payment: Failsafe's shared delayer could
            // still be returning from handing the retry on when the halt comes
            java.util.concurrent.ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
            java.util.concurrent.CompletableFuture<Void> payment = dev.failsafe.Failsafe
                    .with(dev.failsafe.RetryPolicy.builder().withDelay(java.time.Duration.ofMillis(300)).withMaxRetries(3).build())
                    .with(retries)
                    .runAsync(() -> {
                        if (attempts.incrementAndGet() == 1) {
                            throw new IllegalStateException("the payment service is down");
                        }
                    });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                payment.orTimeout(4, java.util.concurrent.TimeUnit.SECONDS).join();
                retries.shutdown();
                try {
                    retries.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }

        @Test
        void reactiveTimerNeverFired() {
            ExecutorService executor = Executors.newSingleThreadScheduledExecutor(); // the user's, never shut down
            io.reactivex.rxjava3.core.Observable.timer(60, java.util.concurrent.TimeUnit.SECONDS,
                            io.reactivex.rxjava3.schedulers.Schedulers.from(executor, false, false))
                    .map(tick -> "the user's report " + tick)
                    .subscribe(report -> System.out.println(report));
        }
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

        @Test
        @GracefulShutdownTest
        void guavaAsyncEventQueuedBehindTheUsersTask() throws InterruptedException {
            com.google.common.eventbus.AsyncEventBus bus = new com.google.common.eventbus.AsyncEventBus(busyPool());
            bus.register(new OrderListener());
            bus.post("order 42"); // Guava's subscriber, holding the listener and its method, waits in the queue
        }

        @Test
        @GracefulShutdownTest
        void guavaDelayedRunnableNeverRuns() {
            // Guava wraps the runnable in the JDK's Executors.callable(...) inside its own task
            MoreExecutors.listeningDecorator(Executors.newScheduledThreadPool(1))
                    .schedule(() -> System.out.println("the user's reminder"), 1, java.util.concurrent.TimeUnit.HOURS);
        }
    }
}
