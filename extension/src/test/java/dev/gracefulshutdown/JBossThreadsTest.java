package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.threads.EnhancedQueueExecutor;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * JBoss Threads' {@code EnhancedQueueExecutor} (the pool of XNIO's workers, Undertow's blocking handlers, Quarkus's
 * worker threads) is judged task by task: what waits in its queue at the halt never ran, what it runs is cut off or
 * interrupted, and what a task throws during the shutdown its wrapper only logs. In process and in a real JVM.
 */
class JBossThreadsTest {

    @Test
    void itsTasksAreJudgedOneByOne() {
        Events events = Fixtures.tests(InProcessTestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskQueuedBehindABusyThreadAtSigterm"))
                .contains("2 violations")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.JBossThreadsTest (task#1) on JBoss Threads' EnhancedQueueExecutor#1 was still running")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.JBossThreadsTest (task#2) on JBoss Threads' EnhancedQueueExecutor#1 was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.JBossThreadsTest.busyPoolWithAQueuedTask");
        assertThat(Fixtures.failureMessage(events, "shutdownNowInAHook"))
                .contains("INTERRUPTED_TASK: task lambda in dev.gracefulshutdown.JBossThreadsTest (task#1)")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.JBossThreadsTest (task#2)");
        assertThat(Fixtures.failureMessage(events, "taskFailsDuringTheShutdown"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.JBossThreadsTest")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at JBoss Threads' EnhancedQueueExecutor (a task's exception goes to the pool's exception handler, which logs it)");
        assertThat(Fixtures.failureMessage(events, "undertowBlockingRequestInFlightAtSigterm"))
                .as("the request on Undertow's worker pool, and the test's own exchange waiting for its response")
                .contains("2 violations")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.JBossThreadsTest$InProcessTestCases, inside "
                        + "io.undertow.server.HttpServerExchange$1 (task#2) on JBoss Threads' EnhancedQueueExecutor#1 was still running")
                .contains("ABANDONED_TASK: task HTTP exchange GET");
        Fixtures.assertPassed(events, "shutDownAndAwaitedInAHook", "taskFailedBeforeTheShutdown", "undertowStoppedAfterItsRequests");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ForkedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskQueuedBehindABusyThreadAtSigterm"))
                .contains("2 violations").contains("ABANDONED_TASK").contains("DROPPED_TASK").contains("forked JVM");
        assertThat(Fixtures.failureMessage(events, "taskFailsDuringTheShutdown"))
                .contains("1 violation").contains("FAILED_TASK").contains("caught at JBoss Threads' EnhancedQueueExecutor");
        Fixtures.assertPassed(events, "shutDownAndAwaitedInAHook");
    }

    static EnhancedQueueExecutor pool() {
        return new EnhancedQueueExecutor.Builder().setCorePoolSize(1).setMaximumPoolSize(1).build();
    }

    /**
     * One thread, busy with a task until the halt, even when interrupted; a second task waits in the queue behind it.
     */
    static EnhancedQueueExecutor busyPoolWithAQueuedTask() throws InterruptedException {
        EnhancedQueueExecutor pool = pool();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            // deaf to interrupts: shutdownNow() must find the second task still queued, not run it once this one returns
            com.google.common.util.concurrent.Uninterruptibles.awaitUninterruptibly(never, 30, TimeUnit.SECONDS);
        });
        running.await();
        pool.execute(() -> System.out.println("the user's report"));
        return pool;
    }

    static void exportThatFailsWhenTheHookClosesItsConnection() throws InterruptedException {
        EnhancedQueueExecutor pool = pool();
        LoggedAndSwallowedFailuresTest.Connection connection = new LoggedAndSwallowedFailuresTest.Connection(true);
        pool.execute(connection::export);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            pool.shutdown();
            Work.awaitTermination(pool);
        }, "stop-exports"));
        connection.awaitStarted();
    }

    static void shutDownAndAwaited() throws InterruptedException {
        EnhancedQueueExecutor pool = pool();
        CountDownLatch running = new CountDownLatch(1);
        pool.execute(running::countDown);
        pool.execute(() -> System.out.println("the user's report"));
        running.await();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pool.shutdown();
            Work.awaitTermination(pool);
        }, "stop-pool"));
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class InProcessTestCases {
        @Test
        void taskQueuedBehindABusyThreadAtSigterm() throws InterruptedException {
            busyPoolWithAQueuedTask();
        }

        @Test
        void shutdownNowInAHook() throws InterruptedException {
            EnhancedQueueExecutor pool = busyPoolWithAQueuedTask();
            Runtime.getRuntime().addShutdownHook(new Thread(pool::shutdownNow, "stop-pool"));
        }

        @Test
        void shutDownAndAwaitedInAHook() throws InterruptedException {
            shutDownAndAwaited();
        }

        @Test
        void taskFailsDuringTheShutdown() throws InterruptedException {
            exportThatFailsWhenTheHookClosesItsConnection();
        }

        @Test
        void taskFailedBeforeTheShutdown() throws InterruptedException {
            EnhancedQueueExecutor pool = pool();
            pool.execute(() -> {
                throw new IllegalStateException("bad input"); // before any shutdown: not the shutdown's business
            });
            CountDownLatch next = new CountDownLatch(1);
            pool.execute(next::countDown); // one thread: it runs once the failing task, and its logging, ended
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdown();
                Work.awaitTermination(pool);
            }, "stop-pool"));
        }

        @Test
        void undertowBlockingRequestInFlightAtSigterm() throws Exception {
            CountDownLatch handling = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new BlockingHandler(exchange -> {
                handling.countDown();
                never.await(30, TimeUnit.SECONDS); // the user's slow request, on the worker pool
                exchange.getResponseSender().send("done");
            })).build();
            server.start();
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(server) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void undertowStoppedAfterItsRequests() throws Exception {
            Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                    .setHandler(new BlockingHandler(exchange -> exchange.getResponseSender().send("done"))).build();
            server.start();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port(server) + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("done");
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-undertow"));
        }

        private static int port(Undertow server) {
            return ((java.net.InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s", fork = true)
    static class ForkedTestCases {
        @Test
        void taskQueuedBehindABusyThreadAtSigterm() throws InterruptedException {
            busyPoolWithAQueuedTask();
        }

        @Test
        void shutDownAndAwaitedInAHook() throws InterruptedException {
            shutDownAndAwaited();
        }

        @Test
        void taskFailsDuringTheShutdown() throws InterruptedException {
            exportThatFailsWhenTheHookClosesItsConnection();
        }
    }
}
