package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.acmevendor.store.AsyncStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A stage chained on an asynchronous task ({@code supplyAsync(build).thenAccept(save)}) whose function throws during
 * the shutdown: the {@code CompletableFuture} keeps the exception in the stage's future, the task returns normally, and
 * the report is lost as if it had been saved. It is the task's failure, as a catch of the user's that does not rethrow
 * would be. A stage of a library's own that fails (a driver's, reporting on the future it returns) is not the user's.
 */
class CompletableFutureStagesTest {

    private static final String[] CONFIGURATION = {GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor"};

    @Test
    void aStageThatFailsDuringTheShutdownIsItsTasksFailure() {
        Events events = Fixtures.tests(StageCases.class, CONFIGURATION);

        for (String failing : new String[] {"savedInAStageThatFailsDuringTheShutdown", "aStageOnTheCommonPoolFails",
                "aFailedStageHandledByExceptionallyIsStillLost"}) {
            assertThat(Fixtures.failureMessage(events, failing)).as(failing)
                    .contains("1 violation")
                    .contains("FAILED_TASK: task ")
                    .contains("failed during the shutdown with java.lang.IllegalStateException: the database is closed")
                    .contains("thrown at dev.gracefulshutdown.CompletableFutureStagesTest$StageCases.save(")
                    .contains("caught at java.util.concurrent.CompletableFuture, which keeps what a stage's function threw");
        }
        assertThat(Fixtures.failureMessage(events, "savedInAStageThatFailsDuringTheShutdown"))
                .as("named by the task the stage was chained on, where it was submitted")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.CompletableFutureStagesTest$StageCases")
                .contains("submitted at dev.gracefulshutdown.CompletableFutureStagesTest$StageCases.savedInAStageThatFailsDuringTheShutdown(");
        Fixtures.assertPassed(events, "aStageThatSucceeds", "aStageThatFailedBeforeTheShutdown",
                "aLibrarysOwnStageFailsDuringTheShutdown");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(StageCases.class, GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor",
                GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        for (String failing : new String[] {"savedInAStageThatFailsDuringTheShutdown", "aStageOnTheCommonPoolFails"}) {
            assertThat(Fixtures.failureMessage(events, failing)).as(failing).contains("1 violation")
                    .contains("FAILED_TASK: ").contains("caught at java.util.concurrent.CompletableFuture");
        }
        Fixtures.assertPassed(events, "aStageThatSucceeds", "aStageThatFailedBeforeTheShutdown",
                "aLibrarysOwnStageFailsDuringTheShutdown");
    }

    @GracefulShutdownTest(gracePeriod = "3s")
    static class StageCases {

        static volatile boolean databaseClosed;

        @BeforeEach
        void open() {
            databaseClosed = false;
        }

        static void save(String report) {
            if (databaseClosed) {
                throw new IllegalStateException("the database is closed");
            }
        }

        /** Builds a report, long enough for the shutdown to begin meanwhile. */
        static String build(CountDownLatch started) {
            started.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            return "report";
        }

        /** The usual hook, in the wrong order: the database closes before the pool is drained. */
        static void closeTheDatabaseThenDrain(ExecutorService pool) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                databaseClosed = true;
                pool.shutdown();
                Work.awaitTermination(pool);
            }, "stop-reports"));
        }

        @Test
        void savedInAStageThatFailsDuringTheShutdown() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture.supplyAsync(() -> build(started), pool).thenAccept(report -> save(report));
            started.await();
            closeTheDatabaseThenDrain(pool);
        }

        /**
         * Without an executor: the common pool, or a thread per task when the common pool has fewer than two threads
         * (on two cores), as the JDK decides.
         */
        @Test
        void aStageOnTheCommonPoolFails() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Void> saved = CompletableFuture.supplyAsync(() -> build(started)).thenAccept(report -> save(report));
            started.await();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                databaseClosed = true;
                saved.handle((ok, failure) -> null).join();
            }, "stop-reports"));
        }

        @Test
        void aFailedStageHandledByExceptionallyIsStillLost() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture.supplyAsync(() -> build(started), pool).thenAccept(report -> save(report))
                    .exceptionally(failure -> null);
            started.await();
            closeTheDatabaseThenDrain(pool);
        }

        @Test
        void aStageThatSucceeds() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture.supplyAsync(() -> build(started), pool).thenAccept(report -> save(report));
            started.await();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdown();
                Work.awaitTermination(pool);
                databaseClosed = true;
            }, "stop-reports"));
        }

        @Test
        void aStageThatFailedBeforeTheShutdown() {
            databaseClosed = true;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CompletableFuture.supplyAsync(() -> "report", pool).thenAccept(report -> save(report))
                    .handle((ok, failure) -> null).join();
            databaseClosed = false;
            closeTheDatabaseThenDrain(pool);
        }

        @Test
        void aLibrarysOwnStageFailsDuringTheShutdown() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch started = new CountDownLatch(1);
            AsyncStore store = new AsyncStore(() -> databaseClosed);
            pool.execute(() -> {
                build(started);
                store.write("report"); // the driver's stage fails; the application ignores the future it returns
            });
            started.await();
            closeTheDatabaseThenDrain(pool);
        }
    }
}
