package dev.gracefulshutdown;

import static dev.gracefulshutdown.HttpExchangesInFlightTest.awaitedByAHook;
import static dev.gracefulshutdown.HttpExchangesInFlightTest.slow;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * Requests sent with Reactor Netty's client, directly or through Spring's {@code WebClient}: one the application
 * subscribed to and left in flight at the halt is lost with what it does with the answer; one it waited for, cancelled
 * (a {@code timeout}, a {@code dispose()} before it had a connection) or whose connection was refused is not.
 */
class ReactorNettyExchangesTest {

    /** A WebSocket server that sends nothing and never closes: the client's connection stays open as long as it likes. */
    private static reactor.netty.DisposableServer webSockets;

    @BeforeAll
    static void startServer() throws IOException {
        HttpExchangesInFlightTest.startServer();
        webSockets = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/events", (in, out) -> out.sendString(reactor.core.publisher.Flux.never())))
                .bindNow();
        java.nio.file.Files.writeString(WEB_SOCKET_PORT_FILE, Integer.toString(webSockets.port()));
    }

    /** Where a forked JVM (same working directory) finds the WebSocket server's port. */
    private static final java.nio.file.Path WEB_SOCKET_PORT_FILE = java.nio.file.Path.of("target", "web-socket-test-port");

    @AfterAll
    static void stopServer() {
        HttpExchangesInFlightTest.stopServer();
        webSockets.disposeNow();
    }

    static String webSocketEvents() throws IOException {
        return "ws://127.0.0.1:" + java.nio.file.Files.readString(WEB_SOCKET_PORT_FILE) + "/events";
    }

    @Test
    void anExchangeStillInFlightAtTheHaltIsAbandonedWithWhatTheApplicationDoesWithItsAnswer() {
        Events events = Fixtures.tests(ReactorNettyTestCases.class);

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains(") on Reactor Netty's HttpClient was still in flight when the JVM halted")
                .contains("sent at dev.gracefulshutdown.ReactorNettyExchangesTest.reactorSend(ReactorNettyExchangesTest.java:");
        assertThat(Fixtures.failureMessage(events, "webClientSentAndForgotten"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:")
                .contains("sent at dev.gracefulshutdown.ReactorNettyExchangesTest.webClientSend(ReactorNettyExchangesTest.java:");
        assertThat(Fixtures.failureMessage(events, "chainedRequestForgotten")) // sent on the client's loop, with the first's answer
                .contains("1 violation")
                .contains("ABANDONED_TASK: task HTTP exchange POST http://127.0.0.1:")
                .contains("sent at dev.gracefulshutdown.ReactorNettyExchangesTest$ReactorNettyTestCases.chainedRequestForgotten(");
    }

    @Test
    void exchangesAwaitedCancelledOrRefusedLoseNothing() {
        Events events = Fixtures.tests(ReactorNettyTestCases.class);

        Fixtures.assertPassed(events, "hookAwaitsTheExchange", "answeredBeforeTheShutdown", "blocked",
                "cancelledByATimeout", "disposedBeforeItHadAConnection", "disposedAtOnce", "refused", "redirectedAndAwaitedByAHook",
                "webClientAwaitedByAHook", "webSocketKeptOpen");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ReactorNettyTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "sentAndForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange GET").contains("was still in flight");
        assertThat(Fixtures.failureMessage(events, "webClientSentAndForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange GET").contains("was still in flight");
        assertThat(Fixtures.failureMessage(events, "chainedRequestForgotten"))
                .contains("1 violation").contains("ABANDONED_TASK: task HTTP exchange POST").contains("was still in flight");
        Fixtures.assertPassed(events, "hookAwaitsTheExchange", "answeredBeforeTheShutdown", "blocked",
                "cancelledByATimeout", "disposedBeforeItHadAConnection", "disposedAtOnce", "refused", "redirectedAndAwaitedByAHook",
                "webClientAwaitedByAHook", "webSocketKeptOpen");
    }

    @Test
    void aSubscriberFailingDuringTheShutdownFailsTheExchange() {
        for (String fork : new String[] {"false", "true"}) {
            Events events = Fixtures.tests(CallbackTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, fork);
            for (String client : new String[] {"reactorNetty", "webClient"}) {
                assertThat(Fixtures.failureMessage(events, client + "SubscriberFails"))
                        .as("%s, forked: %s", client, fork)
                        .contains("1 violation")
                        .contains("FAILED_TASK: task HTTP exchange GET http://127.0.0.1:")
                        .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                        .contains("sent at dev.gracefulshutdown.ReactorNettyExchangesTest." + client + "Subscriber(");
                Fixtures.assertPassed(events, client + "SubscriberSucceeds");
            }
        }
    }

    /** The application saves the answer in what it subscribed with, and gave Reactor no error consumer. */
    static void reactorNettySubscriber(Runnable save) {
        HttpClient.create().get().uri(slow(0)).responseContent().aggregate().asString().subscribe(body -> save.run());
    }

    static void webClientSubscriber(Runnable save) {
        WebClient.create().get().uri(slow(0)).retrieve().bodyToMono(String.class).subscribe(body -> save.run());
    }

    @GracefulShutdownTest
    static class CallbackTestCases {
        @Test
        void reactorNettySubscriberFails() throws InterruptedException {
            HttpExchangesInFlightTest.callbackSaves(true, ReactorNettyExchangesTest::reactorNettySubscriber);
        }

        @Test
        void reactorNettySubscriberSucceeds() throws InterruptedException {
            HttpExchangesInFlightTest.callbackSaves(false, ReactorNettyExchangesTest::reactorNettySubscriber);
        }

        @Test
        void webClientSubscriberFails() throws InterruptedException {
            HttpExchangesInFlightTest.callbackSaves(true, ReactorNettyExchangesTest::webClientSubscriber);
        }

        @Test
        void webClientSubscriberSucceeds() throws InterruptedException {
            HttpExchangesInFlightTest.callbackSaves(false, ReactorNettyExchangesTest::webClientSubscriber);
        }
    }

    @Test
    void aLibrarysLoopWaitingForWorkIsNotInterruptedForTheTestsThatFollow() {
        Events events = Fixtures.tests(SharedLoopTestCases.class);

        Fixtures.assertPassed(events, "firstTestStartsTheLoop", "laterTestRunsOnIt");
    }

    /** One test starts a loop of the library's (a client's global loops, say), the next runs its code on it. */
    @GracefulShutdownTest
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class SharedLoopTestCases {
        static reactor.netty.resources.LoopResources loops;

        static boolean interruptedOnTheLoop() throws InterruptedException {
            java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean(true);
            CountDownLatch asked = new CountDownLatch(1);
            HttpClient.create().runOn(loops).get().uri(slow(0)).responseContent().aggregate().asString()
                    .subscribe(body -> {
                        interrupted.set(Thread.currentThread().isInterrupted());
                        asked.countDown();
                    });
            assertThat(awaited(asked)).isTrue();
            return interrupted.get();
        }

        @Test
        void firstTestStartsTheLoop() throws InterruptedException {
            loops = reactor.netty.resources.LoopResources.create("kit-test-loop", 1, true);
            assertThat(interruptedOnTheLoop()).isFalse();
        }

        @Test
        void laterTestRunsOnIt() throws InterruptedException {
            assertThat(interruptedOnTheLoop()).isFalse();
            loops.disposeLater().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void testsRunningAtTheSameTimeAreEachJudgedOnTheirOwnExchanges() {
        ParallelTestCases.allSent = new CountDownLatch(4);
        Events events = Fixtures.tests(ParallelTestCases.class, "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

        assertThat(Fixtures.failureMessage(events, "forgottenA"))
                .contains("1 violation").contains("/report?ms=3001").doesNotContain("ms=3002").doesNotContain("ms=200");
        assertThat(Fixtures.failureMessage(events, "forgottenB"))
                .contains("1 violation").contains("/report?ms=3002").doesNotContain("ms=3001").doesNotContain("ms=200");
        Fixtures.assertPassed(events, "awaitedC", "awaitedD");
    }

    /** Four tests at once on the client's shared loops: two leave a request in flight, two wait for theirs in a hook. */
    @GracefulShutdownTest
    static class ParallelTestCases {
        static volatile CountDownLatch allSent = new CountDownLatch(4);

        static void sent(long millis, boolean awaited) throws InterruptedException {
            CountDownLatch saved = new CountDownLatch(1);
            reactorSend(HttpClient.create(), slow(millis), saved);
            if (awaited) {
                awaitedByAHook(saved);
            }
            allSent.countDown();
            allSent.await(10, TimeUnit.SECONDS);
        }

        @Test
        void forgottenA() throws InterruptedException {
            sent(3_001, false);
        }

        @Test
        void forgottenB() throws InterruptedException {
            sent(3_002, false);
        }

        @Test
        void awaitedC() throws InterruptedException {
            sent(200, true);
        }

        @Test
        void awaitedD() throws InterruptedException {
            sent(200, true);
        }
    }

    /** The application sends a report with Reactor Netty's client and saves the answer when it comes. */
    static Disposable reactorSend(HttpClient client, URI uri, CountDownLatch saved) {
        return client.get().uri(uri).responseContent().aggregate().asString()
                .subscribe(body -> saved.countDown(), failure -> saved.countDown());
    }

    /** The same through Spring's {@code WebClient}. */
    static void webClientSend(URI uri, CountDownLatch saved) {
        WebClient.create().get().uri(uri).retrieve().bodyToMono(String.class)
                .subscribe(body -> saved.countDown(), failure -> saved.countDown());
    }

    /** A port nothing listens on. */
    static URI refusing() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + "/report");
    }

    static boolean awaited(CountDownLatch latch) throws InterruptedException {
        return latch.await(10, TimeUnit.SECONDS);
    }

    @GracefulShutdownTest
    static class ReactorNettyTestCases {
        @Test
        void sentAndForgotten() {
            reactorSend(HttpClient.create(), slow(5_000), new CountDownLatch(1));
        }

        @Test
        void hookAwaitsTheExchange() {
            CountDownLatch saved = new CountDownLatch(1);
            reactorSend(HttpClient.create(), slow(200), saved);
            awaitedByAHook(saved);
        }

        @Test
        void answeredBeforeTheShutdown() throws InterruptedException {
            CountDownLatch saved = new CountDownLatch(1);
            reactorSend(HttpClient.create(), slow(0), saved);
            assertThat(awaited(saved)).isTrue();
        }

        @Test
        void blocked() {
            assertThat(HttpClient.create().get().uri(slow(0)).responseContent().aggregate().asString().block()).isEqualTo("ok");
        }

        @Test
        void cancelledByATimeout() throws InterruptedException {
            CountDownLatch failed = new CountDownLatch(1);
            HttpClient.create().get().uri(slow(5_000)).responseContent().aggregate().asString()
                    .timeout(Duration.ofMillis(100))
                    .subscribe(body -> { }, failure -> failed.countDown());
            assertThat(awaited(failed)).isTrue();
        }

        @Test
        void disposedBeforeItHadAConnection() throws IOException {
            reactorSend(HttpClient.create(), refusing(), new CountDownLatch(1)).dispose();
        }

        @Test
        void disposedAtOnce() {
            reactorSend(HttpClient.create(), slow(0), new CountDownLatch(1)).dispose(); // its connection comes, and closes
        }

        @Test
        void refused() throws IOException, InterruptedException {
            CountDownLatch failed = new CountDownLatch(1);
            reactorSend(HttpClient.create(), refusing(), failed);
            assertThat(awaited(failed)).isTrue();
        }

        @Test
        void redirectedAndAwaitedByAHook() {
            CountDownLatch saved = new CountDownLatch(1);
            URI moved = slow(200).resolve("/moved?ms=200");
            reactorSend(HttpClient.create().followRedirect(true), moved, saved);
            awaitedByAHook(saved);
        }

        @Test
        void chainedRequestForgotten() throws InterruptedException {
            CountDownLatch firstAnswered = new CountDownLatch(1);
            HttpClient client = HttpClient.create();
            client.get().uri(slow(0)).responseContent().aggregate().asString()
                    .flatMap(body -> {
                        firstAnswered.countDown();
                        return client.post().uri(slow(5_000)).responseContent().aggregate().asString(); // the report, sent on
                    })
                    .subscribe(report -> { }, failure -> { });
            assertThat(awaited(firstAnswered)).isTrue();
        }

        @Test
        void webSocketKeptOpen() throws IOException, InterruptedException {
            CountDownLatch open = new CountDownLatch(1);
            HttpClient.create().websocket().uri(webSocketEvents())
                    .handle((in, out) -> {
                        open.countDown();
                        return in.receive().then();
                    })
                    .subscribe();
            assertThat(awaited(open)).isTrue();
        }

        @Test
        void webClientSentAndForgotten() {
            webClientSend(slow(5_000), new CountDownLatch(1));
        }

        @Test
        void webClientAwaitedByAHook() {
            CountDownLatch saved = new CountDownLatch(1);
            webClientSend(slow(200), saved);
            awaitedByAHook(saved);
        }
    }
}
