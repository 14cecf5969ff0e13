package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Requests the application sent with the JDK's {@code HttpClient.sendAsync} or Apache HttpClient 5's asynchronous
 * client: at the halt, one still in flight is lost with whatever the application chained on its future or gave as its
 * callback. The server runs in this (outer) test, outside any capture.
 */
class HttpExchangesInFlightTest {

    private static HttpServer server;
    private static ExecutorService handlers;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/moved")) { // the report moved: answered where it went
                exchange.getResponseHeaders().add("Location", "/report?ms=" + exchange.getRequestURI().getQuery().substring(3));
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            long millis = query == null ? 0 : Long.parseLong(query.substring(query.indexOf('=') + 1));
            try {
                new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS); // the server's slow work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        java.nio.file.Files.writeString(PORT_FILE, Integer.toString(server.getAddress().getPort()));
    }

    /** Where a forked JVM (same working directory) finds the server's port. */
    private static final java.nio.file.Path PORT_FILE = java.nio.file.Path.of("target", "http-exchanges-test-port");

    @AfterAll
    static void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
    }

    static URI slow(long millis) {
        try {
            int port = server != null ? server.getAddress().getPort() : Integer.parseInt(java.nio.file.Files.readString(PORT_FILE));
            return URI.create("http://127.0.0.1:" + port + "/report?ms=" + millis);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExchangeStillInFlightAtTheHaltIsAbandonedWithWhatWasChainedOnIt() {
        Events events = Fixtures.tests(ExchangeTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains(") on the JDK's HttpClient was still in flight when the JVM halted: its response, and what "
                        + "the application chained on its future, never came")
                .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.sendAndForget(HttpExchangesInFlightTest.java:")
                .contains("fix: in the shutdown path, wait (within the grace period) for the requests still in flight");
    }

    @Test
    void exchangesAwaitedOrAnsweredBeforeTheHaltLoseNothing() {
        Events events = Fixtures.tests(ExchangeTestCases.class);

        Fixtures.assertPassed(events, "hookJoinsTheExchange", "answeredBeforeTheShutdown", "sentSynchronously");
    }

    @Test
    void anApacheClientsExchangeStillInFlightAtTheHaltIsAbandonedWithItsCallback() {
        Events events = Fixtures.tests(ApacheExchangeTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains(") on Apache HttpClient 5's InternalHttpAsyncClient was still in flight when the JVM halted")
                .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.apacheSend(HttpExchangesInFlightTest.java:");
        Fixtures.assertPassed(events, "hookAwaitsTheExchange", "answeredBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgreesOnAnApacheClientsExchange() {
        Events events = Fixtures.tests(ApacheExchangeTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange GET").contains("was still in flight");
        Fixtures.assertPassed(events, "hookAwaitsTheExchange", "answeredBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ForkedExchangeTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange GET").contains("was still in flight");
        Fixtures.assertPassed(events, "hookJoinsTheExchange");
    }

    static final AtomicInteger SAVED = new AtomicInteger();

    /** A hook that waits (10 s at most) for an exchange's future. */
    static void awaitedByAHook(java.util.concurrent.Future<?> exchange) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                exchange.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** A hook that waits (10 s at most) for an exchange's listener to have saved its answer. */
    static void awaitedByAHook(CountDownLatch saved) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                saved.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** The application sends a report that takes the server 2 s, and forgets it. */
    static void sendAndForget() {
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(slow(2_000)).build(), HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> SAVED.incrementAndGet());
    }

    /** The application sends a report that takes the server 200 ms, and a hook waits for what it chained on it. */
    static void sendAndJoinInAHook() {
        CompletableFuture<Void> saved = HttpClient.newHttpClient()
                .sendAsync(HttpRequest.newBuilder(slow(200)).build(), HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> SAVED.incrementAndGet());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> saved.orTimeout(10, TimeUnit.SECONDS).join()));
    }

    @GracefulShutdownTest
    static class ExchangeTestCases {
        @Test
        void sentAndForgotten() {
            sendAndForget();
        }

        @Test
        void hookJoinsTheExchange() {
            sendAndJoinInAHook();
        }

        @Test
        void answeredBeforeTheShutdown() {
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(slow(0)).build(), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> SAVED.incrementAndGet()).orTimeout(10, TimeUnit.SECONDS).join();
        }

        @Test
        void sentSynchronously() throws IOException, InterruptedException {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(slow(0)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Sends a request the server answers after {@code millis}, with a callback that saves the answer. */
    static java.util.concurrent.Future<org.apache.hc.client5.http.async.methods.SimpleHttpResponse> apacheSend(long millis) {
        org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
        client.start();
        return client.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(slow(millis)).build(),
                new org.apache.hc.core5.concurrent.FutureCallback<>() {
                    @Override
                    public void completed(org.apache.hc.client5.http.async.methods.SimpleHttpResponse response) {
                        SAVED.incrementAndGet();
                    }

                    @Override
                    public void failed(Exception failure) {
                    }

                    @Override
                    public void cancelled() {
                    }
                });
    }

    @GracefulShutdownTest
    static class ApacheExchangeTestCases {
        @Test
        void sentAndForgotten() {
            apacheSend(2_000);
        }

        @Test
        void hookAwaitsTheExchange() {
            awaitedByAHook(apacheSend(200));
        }

        @Test
        void answeredBeforeTheShutdown() throws Exception {
            apacheSend(0).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJettyClientsExchangeStillInFlightAtTheHaltIsAbandonedWithItsListener() {
        Events events = Fixtures.tests(JettyExchangeTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains(") on Jetty's HttpClient was still in flight when the JVM halted")
                .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.jettySend(HttpExchangesInFlightTest.java:");
        assertThat(Fixtures.failureMessage(events, "futureForgotten")).contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest$JettyExchangeTestCases.futureForgotten(");
        Fixtures.assertPassed(events, "hookAwaitsTheListener", "answeredBeforeTheShutdown", "sentSynchronously",
                "redirectedAndAwaitedByAHook", "refusedAtOnce");
    }

    @Test
    void aJettyListenerFailingDuringTheShutdownIsAFailedTaskThoughJettyOnlyLogsIt() {
        Events events = Fixtures.tests(JettyListenerTestCases.class);

        assertThat(Fixtures.failureMessage(events, "listenerFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("FAILED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.jettyListenerSaves(")
                .contains("caught at Jetty's HttpClient (a response listener's exception is logged at INFO")
                .contains("fix: keep what an exchange's listener or callback uses");
        Fixtures.assertPassed(events, "listenerSucceeds", "listenerFailedBeforeTheShutdown");

        Events forked = Fixtures.tests(JettyListenerTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");
        assertThat(Fixtures.failureMessage(forked, "listenerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Jetty's HttpClient");
        Fixtures.assertPassed(forked, "listenerSucceeds");
    }

    /**
     * The answer is saved by the exchange's listener, which needs a connection a hook closes before it stops the client:
     * Jetty catches what the listener throws and logs it at INFO.
     */
    static void jettyListenerSaves(boolean fails) throws InterruptedException {
        org.eclipse.jetty.client.HttpClient client = startedJettyClient();
        LoggedAndSwallowedFailuresTest.Connection connection = new LoggedAndSwallowedFailuresTest.Connection(fails);
        client.newRequest(slow(0)).send(result -> connection.export());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            try {
                client.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "stop-client"));
        connection.awaitStarted();
    }

    @Test
    void aCallbackOrStageOfAnExchangeFailingDuringTheShutdownFailsTheExchange() {
        for (String fork : new String[] {"false", "true"}) {
            Events events = Fixtures.tests(CallbackTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, fork);
            for (String client : new String[] {"jdk", "apache", "asyncHttpClient", "jetty"}) {
                assertThat(Fixtures.failureMessage(events, client + "CallbackFails"))
                        .as("%s, forked: %s", client, fork)
                        .contains("1 violation")
                        .contains("FAILED_TASK: task HTTP exchange GET http://127.0.0.1:")
                        .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                        .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest." + client + "Callback(")
                        .contains("fix: keep what an exchange's listener or callback uses");
                Fixtures.assertPassed(events, client + "CallbackSucceeds");
            }
            assertThat(Fixtures.failureMessage(events, "jdkCallbackFails")).contains("caught at java.util.concurrent.CompletableFuture");
            assertThat(Fixtures.failureMessage(events, "jdkAsyncStageFails")) // its own step, after the exchange's
                    .as("forked: %s", fork)
                    .contains("1 violation")
                    .contains("FAILED_TASK: task HTTP exchange GET http://127.0.0.1:")
                    .contains("caught at java.util.concurrent.CompletableFuture")
                    .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.jdkAsyncStage(");
            Fixtures.assertPassed(events, "jdkAsyncStageSucceeds");
            assertThat(Fixtures.failureMessage(events, "apacheCallbackFails")).contains("caught at Apache HttpClient's I/O reactor");
            assertThat(Fixtures.failureMessage(events, "asyncHttpClientCallbackFails"))
                    .contains("caught at AsyncHttpClient's NettyResponseFuture");
            assertThat(Fixtures.failureMessage(events, "jettyCallbackFails")).contains("caught at java.util.concurrent.CompletableFuture");
        }
    }

    /** The export the callback runs once the answer came: it needs the connection a hook closes, then waits for it. */
    static void callbackSaves(boolean fails, java.util.function.Consumer<Runnable> send) throws InterruptedException {
        LoggedAndSwallowedFailuresTest.Connection connection = new LoggedAndSwallowedFailuresTest.Connection(fails);
        send.accept(savedBeforeItsHookReturns(connection, "stop-exports"));
        connection.awaitStarted();
    }

    /** The export over {@code connection}, and a hook that closes it, then waits for the export (then the client stops). */
    static Runnable savedBeforeItsHookReturns(LoggedAndSwallowedFailuresTest.Connection connection, String hookName) {
        CountDownLatch saved = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            try {
                saved.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, hookName));
        return () -> {
            try {
                connection.export();
            } finally {
                saved.countDown();
            }
        };
    }

    static void jdkAsyncStage(Runnable save) {
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(slow(0)).build(), HttpResponse.BodyHandlers.ofString())
                .thenAcceptAsync(response -> save.run());
    }

    static void jdkCallback(Runnable save) {
        jdkCallback(HttpClient.newHttpClient(), save);
    }

    static void jdkCallback(HttpClient client, Runnable save) {
        client.sendAsync(HttpRequest.newBuilder(slow(0)).build(), HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> save.run());
    }

    static void apacheCallback(Runnable save) {
        org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
        client.start();
        client.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(slow(0)).build(),
                new org.apache.hc.core5.concurrent.FutureCallback<>() {
                    @Override
                    public void completed(org.apache.hc.client5.http.async.methods.SimpleHttpResponse response) {
                        save.run();
                    }

                    @Override
                    public void failed(Exception failure) {
                    }

                    @Override
                    public void cancelled() {
                    }
                });
    }

    static void asyncHttpClientCallback(Runnable save) {
        org.asynchttpclient.Dsl.asyncHttpClient().prepareGet(slow(0).toString())
                .execute(new org.asynchttpclient.AsyncCompletionHandler<Object>() {
                    @Override
                    public Object onCompleted(org.asynchttpclient.Response response) {
                        save.run();
                        return response;
                    }
                });
    }

    static void jettyCallback(Runnable save) {
        new org.eclipse.jetty.client.CompletableResponseListener(startedJettyClient().newRequest(slow(0))).send()
                .thenAccept(response -> save.run());
    }

    /**
     * What the application does with an exchange's answer, in each client's way (a stage chained on the JDK's future or
     * on a Jetty {@code CompletableResponseListener}'s, Apache's {@code FutureCallback}, AsyncHttpClient's handler),
     * fails during the shutdown: each client keeps or swallows the exception, and the exchange's work is lost.
     */
    @GracefulShutdownTest
    static class CallbackTestCases {
        @Test
        void jdkCallbackFails() throws InterruptedException {
            callbackSaves(true, save -> jdkCallback(save));
        }

        @Test
        void jdkCallbackSucceeds() throws InterruptedException {
            callbackSaves(false, save -> jdkCallback(save));
        }

        @Test
        void jdkAsyncStageFails() throws InterruptedException {
            callbackSaves(true, save -> jdkAsyncStage(save));
        }

        @Test
        void jdkAsyncStageSucceeds() throws InterruptedException {
            callbackSaves(false, save -> jdkAsyncStage(save));
        }

        @Test
        void apacheCallbackFails() throws InterruptedException {
            callbackSaves(true, save -> apacheCallback(save));
        }

        @Test
        void apacheCallbackSucceeds() throws InterruptedException {
            callbackSaves(false, save -> apacheCallback(save));
        }

        @Test
        void asyncHttpClientCallbackFails() throws InterruptedException {
            callbackSaves(true, save -> asyncHttpClientCallback(save));
        }

        @Test
        void asyncHttpClientCallbackSucceeds() throws InterruptedException {
            callbackSaves(false, save -> asyncHttpClientCallback(save));
        }

        @Test
        void jettyCallbackFails() throws InterruptedException {
            callbackSaves(true, save -> jettyCallback(save));
        }

        @Test
        void jettyCallbackSucceeds() throws InterruptedException {
            callbackSaves(false, save -> jettyCallback(save));
        }
    }

    @Test
    void aStageOfOneOfSeveralJdkExchangesInFlightFailingFailsThatExchange() {
        for (String fork : new String[] {"false", "true"}) {
            Events events = Fixtures.tests(SeveralJdkExchangesTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, fork);
            assertThat(Fixtures.failureMessage(events, "theQuickOnesStageFails"))
                    .as("forked: %s", fork)
                    .contains("1 violation")
                    .contains("FAILED_TASK: task HTTP exchange GET http://127.0.0.1:")
                    .contains("/report?ms=0 (task#")
                    .contains("caught at java.util.concurrent.CompletableFuture")
                    .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.jdkCallback(")
                    .doesNotContain("ms=1000");
            Fixtures.assertPassed(events, "everyStageSucceeds");
        }
    }

    /** Two exchanges in flight on one JDK client: the quick one is answered while the slow one is still in flight. */
    static void twoJdkExchanges(boolean quickOneFails) throws InterruptedException {
        Runnable slowSave = savedBeforeItsHookReturns(new LoggedAndSwallowedFailuresTest.Connection(false), "stop-slow-exports");
        HttpClient client = HttpClient.newHttpClient();
        client.sendAsync(HttpRequest.newBuilder(slow(1000)).build(), HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> slowSave.run());
        callbackSaves(quickOneFails, save -> jdkCallback(client, save));
    }

    @GracefulShutdownTest
    static class SeveralJdkExchangesTestCases {
        @Test
        void theQuickOnesStageFails() throws InterruptedException {
            twoJdkExchanges(true);
        }

        @Test
        void everyStageSucceeds() throws InterruptedException {
            twoJdkExchanges(false);
        }
    }

    @GracefulShutdownTest
    static class JettyListenerTestCases {
        @Test
        void listenerFails() throws InterruptedException {
            jettyListenerSaves(true);
        }

        @Test
        void listenerSucceeds() throws InterruptedException {
            jettyListenerSaves(false);
        }

        @Test
        void listenerFailedBeforeTheShutdown() throws Exception {
            CountDownLatch told = new CountDownLatch(1);
            org.eclipse.jetty.client.HttpClient client = startedJettyClient();
            client.newRequest(slow(0)).send(result -> {
                told.countDown();
                throw new IllegalStateException("bad answer"); // before any shutdown: not the shutdown's business
            });
            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
            client.stop(); // waits for the listener's thread: the failure is over before the shutdown
        }
    }

    @Test
    void theForkedJvmAgreesOnAJettyClientsExchange() {
        Events events = Fixtures.tests(JettyExchangeTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange GET").contains("was still in flight");
        assertThat(Fixtures.failureMessage(events, "futureForgotten")).contains("1 violation").contains("was still in flight");
        Fixtures.assertPassed(events, "hookAwaitsTheListener", "answeredBeforeTheShutdown", "sentSynchronously",
                "redirectedAndAwaitedByAHook", "refusedAtOnce");
    }

    @Test
    void anAsyncHttpClientsExchangeStillInFlightAtTheHaltIsAbandonedWithItsHandler() {
        Events events = Fixtures.tests(AsyncHttpClientTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains(") on AsyncHttpClient's DefaultAsyncHttpClient was still in flight when the JVM halted")
                .contains("sent at dev.gracefulshutdown.HttpExchangesInFlightTest.asyncHttpClientSend(HttpExchangesInFlightTest.java:");
        Fixtures.assertPassed(events, "hookAwaitsTheExchange", "answeredBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgreesOnAnAsyncHttpClientsExchange() {
        Events events = Fixtures.tests(AsyncHttpClientTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange GET").contains("was still in flight");
        Fixtures.assertPassed(events, "hookAwaitsTheExchange", "answeredBeforeTheShutdown");
    }

    /** Sends a request the server answers after {@code millis} with AsyncHttpClient, with a handler that saves the answer. */
    static java.util.concurrent.Future<?> asyncHttpClientSend(long millis) {
        return org.asynchttpclient.Dsl.asyncHttpClient().prepareGet(slow(millis).toString())
                .execute(new org.asynchttpclient.AsyncCompletionHandler<Integer>() {
                    @Override
                    public Integer onCompleted(org.asynchttpclient.Response response) {
                        return SAVED.incrementAndGet();
                    }
                });
    }

    @GracefulShutdownTest
    static class AsyncHttpClientTestCases {
        @Test
        void sentAndForgotten() {
            asyncHttpClientSend(2_000);
        }

        @Test
        void hookAwaitsTheExchange() {
            awaitedByAHook(asyncHttpClientSend(200));
        }

        @Test
        void answeredBeforeTheShutdown() throws Exception {
            asyncHttpClientSend(0).get(10, TimeUnit.SECONDS);
        }
    }

    static org.eclipse.jetty.client.HttpClient startedJettyClient() {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** Sends a request the server answers after {@code millis} with Jetty's client, with a listener that saves the answer. */
    static void jettySend(long millis, Runnable saved) {
        startedJettyClient().newRequest(slow(millis)).send(result -> {
            SAVED.incrementAndGet();
            saved.run();
        });
    }

    @GracefulShutdownTest
    static class JettyExchangeTestCases {
        @Test
        void sentAndForgotten() {
            jettySend(2_000, () -> { });
        }

        @Test
        void futureForgotten() {
            new org.eclipse.jetty.client.CompletableResponseListener(startedJettyClient().newRequest(slow(2_000))).send();
        }

        @Test
        void hookAwaitsTheListener() {
            CountDownLatch saved = new CountDownLatch(1);
            jettySend(200, saved::countDown);
            awaitedByAHook(saved);
        }

        @Test
        void redirectedAndAwaitedByAHook() {
            CountDownLatch saved = new CountDownLatch(1);
            startedJettyClient().newRequest(URI.create(slow(200).toString().replace("/report?", "/moved?")))
                    .send(result -> saved.countDown());
            awaitedByAHook(saved);
        }

        @Test
        void refusedAtOnce() throws Exception {
            int closedPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            CountDownLatch told = new CountDownLatch(1);
            startedJettyClient().newRequest(URI.create("http://127.0.0.1:" + closedPort + "/report")).send(result -> told.countDown());
            told.await(10, TimeUnit.SECONDS);
        }

        @Test
        void answeredBeforeTheShutdown() throws Exception {
            new org.eclipse.jetty.client.CompletableResponseListener(startedJettyClient().newRequest(slow(0))).send()
                    .get(10, TimeUnit.SECONDS);
        }

        @Test
        void sentSynchronously() throws Exception {
            startedJettyClient().newRequest(slow(0)).send();
        }
    }

    @GracefulShutdownTest(fork = true)
    static class ForkedExchangeTestCases {
        @Test
        void sentAndForgotten() {
            sendAndForget();
        }

        @Test
        void hookJoinsTheExchange() {
            sendAndJoinInAHook();
        }
    }
}
