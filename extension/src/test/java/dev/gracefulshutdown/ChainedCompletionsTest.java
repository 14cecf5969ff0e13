package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.Uninterruptibles;
import io.micrometer.kitfixture.LoadedValues;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedTransferQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code supplyAsync(...).get()} returns once the task's future is complete; the task's thread then runs what was
 * chained on that future ({@code postComplete}). A library's completion there (a cache storing the value it loaded)
 * is the library's business: a halt during it loses none of the user's work. A stage of the user's is the user's.
 */
class ChainedCompletionsTest {

    private static final String[] CLEAN = {"aLibrarysCompletionOnTheCommonPool", "aLibrarysCompletionAfterAnAsyncStage",
        "aLibrarysCompletionOnTheDefaultAsyncPool", "aLibrarysListenerOfAGuavaFuture"};

    @AfterAll
    static void letTheWorkersGo() {
        ChainedTestCases.letGo();
    }

    @Test
    void aLibrarysCompletionStillRunningAfterTheAnswerWasReadIsNotTheUsersLostWork() {
        Events events = Fixtures.tests(ChainedTestCases.class);

        Fixtures.assertPassed(events, CLEAN);
        assertThat(Fixtures.failureMessage(events, "theUsersCompletionHoldsTheThread")).contains("1 violation")
                .contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.ChainedCompletionsTest$ChainedTestCases.theUsersCompletionHoldsTheThread");
        assertThat(Fixtures.failureMessage(events, "theUsersListenerOfAGuavaFuture")).contains("1 violation")
                .contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.ChainedCompletionsTest$ChainedTestCases.theUsersListenerOfAGuavaFuture");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ChainedTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        Fixtures.assertPassed(events, CLEAN);
        assertThat(Fixtures.failureMessage(events, "theUsersCompletionHoldsTheThread")).contains("1 violation")
                .contains("ABANDONED_TASK");
        assertThat(Fixtures.failureMessage(events, "theUsersListenerOfAGuavaFuture")).contains("1 violation")
                .contains("ABANDONED_TASK");
    }

    /**
     * Each case reads the answer, then lets the test end (and the halt come) while the worker that completed it is
     * held in a completion chained on it: a library's, or a lambda of the test's (the user's). Where the common pool has
     * fewer than two workers, JDK 17 runs each task on a thread of its own, even one given the common pool; JDK 25 runs
     * them on the common pool: each JDK's run checks one of the two.
     */
    @GracefulShutdownTest(gracePeriod = "5s")
    static class ChainedTestCases {
        private static final LoadedValues ON_THE_COMMON_POOL = new LoadedValues();
        private static final LoadedValues AFTER_A_STAGE = new LoadedValues();
        private static final LoadedValues ON_THE_DEFAULT_POOL = new LoadedValues();
        private static final LoadedValues OF_A_GUAVA_FUTURE = new LoadedValues();
        private static final LinkedTransferQueue<Object> USERS = new LinkedTransferQueue<>();
        private static final LinkedTransferQueue<Object> USERS_LISTENER = new LinkedTransferQueue<>();

        static void letGo() {
            ON_THE_COMMON_POOL.letGo();
            AFTER_A_STAGE.letGo();
            ON_THE_DEFAULT_POOL.letGo();
            OF_A_GUAVA_FUTURE.letGo();
            for (LinkedTransferQueue<Object> queue : java.util.List.of(USERS, USERS_LISTENER)) {
                while (queue.tryTransfer("let go")) {
                    // one for each
                }
            }
        }

        @Test
        void aLibrarysCompletionOnTheCommonPool() throws Exception {
            CountDownLatch chained = new CountDownLatch(1);
            CompletableFuture<String> loading = CompletableFuture.supplyAsync(() -> load(chained), ForkJoinPool.commonPool());
            ON_THE_COMMON_POOL.storeWhenLoaded(loading);
            chained.countDown();

            heldWhile(ON_THE_COMMON_POOL::storing);
            assertThat(loading.get()).isEqualTo("report");
        }

        @Test
        void aLibrarysCompletionAfterAnAsyncStage() throws Exception {
            CountDownLatch chained = new CountDownLatch(1);
            CompletableFuture<String> loading = CompletableFuture.supplyAsync(() -> "rep", ForkJoinPool.commonPool())
                    .thenApplyAsync(start -> start + load(chained).substring(3), ForkJoinPool.commonPool());
            AFTER_A_STAGE.storeWhenLoaded(loading);
            chained.countDown();

            heldWhile(AFTER_A_STAGE::storing);
            assertThat(loading.get()).isEqualTo("report");
        }

        @Test
        void aLibrarysCompletionOnTheDefaultAsyncPool() throws Exception {
            // the common pool, or a thread per task where the common pool has fewer than two workers (JDK 17 on 2 cores)
            CountDownLatch chained = new CountDownLatch(1);
            CompletableFuture<String> loading = CompletableFuture.supplyAsync(() -> load(chained));
            ON_THE_DEFAULT_POOL.storeWhenLoaded(loading);
            chained.countDown();

            heldWhile(ON_THE_DEFAULT_POOL::storing);
            assertThat(loading.get()).isEqualTo("report");
        }

        @Test
        void aLibrarysListenerOfAGuavaFuture() throws Exception {
            CountDownLatch chained = new CountDownLatch(1);
            com.google.common.util.concurrent.ListeningExecutorService loaders =
                    com.google.common.util.concurrent.MoreExecutors.listeningDecorator(java.util.concurrent.Executors.newFixedThreadPool(1));
            com.google.common.util.concurrent.ListenableFuture<String> loading = loaders.submit(() -> load(chained));
            OF_A_GUAVA_FUTURE.storeWhenLoaded(loading);
            loaders.shutdown();
            chained.countDown();

            heldWhile(OF_A_GUAVA_FUTURE::storing);
            assertThat(loading.get()).isEqualTo("report");
        }

        @Test
        void theUsersCompletionHoldsTheThread() throws Exception {
            CountDownLatch chained = new CountDownLatch(1);
            CompletableFuture<String> loading = CompletableFuture.supplyAsync(() -> load(chained), ForkJoinPool.commonPool());
            loading.thenAccept(report -> {
                try {
                    USERS.take(); // the user's stage, still running at the halt
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            chained.countDown();

            heldWhile(USERS::hasWaitingConsumer);
            assertThat(loading.get()).isEqualTo("report");
        }

        @Test
        void theUsersListenerOfAGuavaFuture() throws Exception {
            CountDownLatch chained = new CountDownLatch(1);
            com.google.common.util.concurrent.ListeningExecutorService loaders =
                    com.google.common.util.concurrent.MoreExecutors.listeningDecorator(java.util.concurrent.Executors.newFixedThreadPool(1));
            com.google.common.util.concurrent.ListenableFuture<String> loading = loaders.submit(() -> load(chained));
            loading.addListener(() -> {
                try {
                    USERS_LISTENER.take(); // the user's listener, still running at the halt
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }, com.google.common.util.concurrent.MoreExecutors.directExecutor());
            loaders.shutdown();
            chained.countDown();

            heldWhile(USERS_LISTENER::hasWaitingConsumer);
            assertThat(loading.get()).isEqualTo("report");
        }

        private static String load(CountDownLatch chained) {
            Uninterruptibles.awaitUninterruptibly(chained); // until the completion is chained on its future
            return "report";
        }

        /**
         * Waits until the worker holds the completion, before reading the answer: a thread that waits in
         * {@code get()} helps run what is chained on a future it finds complete.
         */
        private static void heldWhile(BooleanSupplier held) {
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(held::getAsBoolean);
        }
    }
}
