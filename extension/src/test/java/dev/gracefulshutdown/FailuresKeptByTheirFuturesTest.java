package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.ListeningScheduledExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import dev.gracefulshutdown.LoggedAndSwallowedFailuresTest.Connection;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A task whose exception its own future keeps, so that the executor sees it return normally: Guava's future task
 * ({@code MoreExecutors.listeningDecorator(...).submit} and {@code schedule}: {@code AbstractFuture.setException}, the
 * scheduled one inside the executor's own {@code ScheduledFutureTask}) and Netty's promise task ({@code submit} and
 * {@code schedule} on an event executor: {@code PromiseTask.setFailureInternal}), as the JDK's {@code FutureTask}. Failing
 * during the shutdown, it is a failed task; failing before, the application's business, even when the pool's own
 * bookkeeping after it (its {@code afterExecute}) is still going on when the shutdown begins.
 */
class FailuresKeptByTheirFuturesTest {

    @Test
    void aFailureKeptInGuavasOrNettysFutureDuringTheShutdownIsAFailedTask() {
        Events events = Fixtures.tests(InProcessTestCases.class);

        assertThat(Fixtures.failureMessage(events, "guavaSubmittedTaskFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.FailuresKeptByTheirFuturesTest")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed");
        assertThat(Fixtures.failureMessage(events, "guavaScheduledTaskFails"))
                .as("Guava's task inside the scheduled executor's own: its failure is the outer task's")
                .contains("1 violation")
                .contains("inside com.google.common.util.concurrent.TrustedListenableFutureTask")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed");
        assertThat(Fixtures.failureMessage(events, "nettySubmittedTaskFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("on Netty's DefaultEventExecutor#")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed");
        assertThat(Fixtures.failureMessage(events, "nettyScheduledTaskFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed");
        Fixtures.assertPassed(events, "guavaSubmittedTaskSucceeds", "guavaTaskFailedBeforeTheShutdown",
                "nettySubmittedTaskSucceeds", "nettyTaskFailedBeforeTheShutdown",
                "taskFailedBeforeTheShutdownWhileItsPoolStillDoesItsBookkeeping");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(InProcessTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "guavaScheduledTaskFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("inside com.google.common.util.concurrent.TrustedListenableFutureTask");
        assertThat(Fixtures.failureMessage(events, "nettySubmittedTaskFails")).contains("1 violation").contains("FAILED_TASK: ");
        Fixtures.assertPassed(events, "guavaTaskFailedBeforeTheShutdown", "nettyTaskFailedBeforeTheShutdown",
                "taskFailedBeforeTheShutdownWhileItsPoolStillDoesItsBookkeeping");
    }

    static void closedThenDrained(Connection connection, ExecutorService pool) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            pool.shutdown();
            Work.awaitTermination(pool);
        }, "stop-exports"));
    }

    static void closedThenDrained(Connection connection, DefaultEventExecutorGroup group) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }, "stop-exports"));
    }

    static void guava(boolean fails) throws InterruptedException {
        ListeningExecutorService pool = MoreExecutors.listeningDecorator(Executors.newSingleThreadExecutor());
        Connection connection = new Connection(fails);
        pool.submit(connection::export);
        closedThenDrained(connection, pool);
        connection.awaitStarted();
    }

    static void netty(boolean fails) throws InterruptedException {
        DefaultEventExecutorGroup group = new DefaultEventExecutorGroup(1);
        Connection connection = new Connection(fails);
        group.submit(connection::export);
        closedThenDrained(connection, group);
        connection.awaitStarted();
    }

    @GracefulShutdownTest(gracePeriod = "10s")
    static class InProcessTestCases {
        @Test
        void guavaSubmittedTaskFails() throws InterruptedException {
            guava(true);
        }

        @Test
        void guavaSubmittedTaskSucceeds() throws InterruptedException {
            guava(false);
        }

        @Test
        void guavaScheduledTaskFails() throws InterruptedException {
            ListeningScheduledExecutorService pool = MoreExecutors.listeningDecorator(Executors.newSingleThreadScheduledExecutor());
            Connection connection = new Connection(true);
            pool.schedule(() -> connection.export(), 1, TimeUnit.MILLISECONDS);
            closedThenDrained(connection, pool);
            connection.awaitStarted();
        }

        @Test
        void guavaTaskFailedBeforeTheShutdown() throws Exception {
            ListeningExecutorService pool = MoreExecutors.listeningDecorator(Executors.newSingleThreadExecutor());
            Future<?> export = pool.submit(() -> {
                throw new IllegalStateException("bad input"); // before any shutdown: the application's business
            });
            assertThatThrownBy(export::get).isInstanceOf(ExecutionException.class);
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS); // one thread: the failed task has ended
            pool.shutdown();
        }

        @Test
        void nettySubmittedTaskFails() throws InterruptedException {
            netty(true);
        }

        @Test
        void nettySubmittedTaskSucceeds() throws InterruptedException {
            netty(false);
        }

        @Test
        void nettyScheduledTaskFails() throws InterruptedException {
            DefaultEventExecutorGroup group = new DefaultEventExecutorGroup(1);
            Connection connection = new Connection(true);
            group.schedule(() -> connection.export(), 1, TimeUnit.MILLISECONDS);
            closedThenDrained(connection, group);
            connection.awaitStarted();
        }

        @Test
        void nettyTaskFailedBeforeTheShutdown() throws Exception {
            DefaultEventExecutorGroup group = new DefaultEventExecutorGroup(1);
            io.netty.util.concurrent.Future<?> export = group.submit(() -> {
                throw new IllegalStateException("bad input"); // before any shutdown: the application's business
            });
            assertThat(export.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(export.cause()).hasMessage("bad input");
            group.submit(() -> { }).get(10, TimeUnit.SECONDS); // one thread: the failed task has ended
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }

        /**
         * The task failed, and the test read its failure, before the shutdown; the pool's bookkeeping after it
         * ({@code afterExecute}) goes on until the shutdown has begun. The task ended when its future did.
         */
        @Test
        void taskFailedBeforeTheShutdownWhileItsPoolStillDoesItsBookkeeping() throws Exception {
            CountDownLatch bookkeeping = new CountDownLatch(1);
            ExecutorService pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                @Override
                protected void afterExecute(Runnable task, Throwable thrown) {
                    try {
                        bookkeeping.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            Future<?> export = pool.submit(() -> {
                throw new IllegalStateException("bad input");
            });
            assertThatThrownBy(export::get).isInstanceOf(ExecutionException.class);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                bookkeeping.countDown();
                pool.shutdown();
                Work.awaitTermination(pool);
            }, "stop-exports"));
        }
    }
}
