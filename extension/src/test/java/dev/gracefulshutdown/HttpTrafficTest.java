package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gracefulshutdown.http.HttpTraffic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * HTTP traffic through the shutdown, against the JDK's own {@link HttpServer}: a request in flight cut off by a
 * server stopped at once, kept by one that drains; requests still arriving in the propagation window refused by a
 * server that stops accepting at once, answered by one that keeps accepting for a lame-duck delay.
 */
class HttpTrafficTest {

    @Test
    void aServerStoppedAtOnceCutsOffTheRequestInFlight() {
        Events events = Fixtures.tests(InFlightTestCases.class);

        assertThat(Fixtures.failureMessage(events, "stopAtOnce"))
                .contains("REQUEST_CUT_OFF: 2 requests to GET http://127.0.0.1:")
                .contains("/export were accepted and never answered (2 in flight at SIGTERM)")
                .contains("sent from dev.gracefulshutdown.HttpTrafficTest$InFlightTestCases.stopAtOnce(HttpTrafficTest.java:")
                .containsPattern("request#1: sent \\d+ ms before SIGTERM; (its connection closed before the answer|reset or closed before the answer|still unanswered when the JVM halted)")
                .contains("fix: stop the server gracefully in the shutdown path and wait for the requests in flight");
        Fixtures.assertPassed(events, "stopThatDrains");
    }

    @Test
    void theVerdictIsPartOfTheReportTheSimulatorReturns() {
        Events events = Fixtures.tests(SimulatorTestCases.class);

        Fixtures.assertPassed(events, "reportHasTheRequestCutOff");
        ShutdownReport report = SimulatorTestCases.report.get();
        assertThat(report.violations().get(0).kind()).isEqualTo(Violation.Kind.REQUEST_CUT_OFF);
        assertThat(SimulatorTestCases.requests.get()).singleElement()
                .satisfies(request -> {
                    assertThat(request.inFlight()).isTrue();
                    assertThat(request.outcome()).isEqualTo(HttpTraffic.Outcome.CUT_OFF);
                    assertThat(request.sentAfterTrigger()).isNegative();
                });
    }

    @Test
    void aServerThatStopsAcceptingAtOnceRefusesTheRequestsStillArriving() {
        Events events = Fixtures.tests(ArrivingTestCases.class);

        assertThat(Fixtures.failureMessage(events, "stopsAcceptingAtOnce"))
                .containsPattern("1\\) REQUEST_REFUSED: \\d+ of \\d+ requests to GET http://127.0.0.1:\\d+/ping arriving within the "
                        + "propagation window \\(400 ms after SIGTERM\\) were refused")
                .containsPattern("\\d+ found no server: the JVM halted \\d+ ms after SIGTERM, before the window closed at 400 ms")
                .contains("fix: keep answering while the load balancer still routes to the application")
                .contains("a preStop sleep, or a lame-duck delay");
        assertThat(Fixtures.failureMessage(events, "noShutdownPathAtAll"))
                .contains("REQUEST_REFUSED")
                .contains("found no server: the JVM halted");
        Fixtures.assertPassed(events, "lameDuckDelayThenDrain");
    }

    @Test
    void misuseFailsWithAClearMessage() {
        Events events = Fixtures.tests(MisuseTestCases.class);

        assertThat(Fixtures.failureMessage(events, "notLoopback"))
                .contains("HttpTraffic: http://192.0.2.7:8080/orders is not on the loopback interface")
                .contains("use 127.0.0.1, ::1 or localhost");
        assertThat(Fixtures.failureMessage(events, "notHttp"))
                .contains("is not an http:// URI with a host");
        assertThat(Fixtures.failureMessage(events, "nothingListens"))
                .contains("HttpTraffic.inFlight: a request to GET http://127.0.0.1:")
                .contains("(connection refused: nothing listens there) before it was seen at work in the application");
        assertThat(Fixtures.failureMessage(events, "afterTheShutdown"))
                .contains("HttpTraffic.arriving: the simulated JVM has already shut down");
        assertThat(Fixtures.failureMessage(events, "badRate")).contains("perSecond must be 1 to 1000, not 0");
    }

    @Test
    void forkedTheParentJvmSendsTheTrafficAndJudgesItAgainstTheRealShutdown() {
        Events events = Fixtures.tests(ForkedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "stopAtOnce"))
                .contains("REQUEST_CUT_OFF: 2 requests to GET http://127.0.0.1:")
                .contains("/export were accepted and never answered (2 in flight at SIGTERM)")
                .contains("sent from dev.gracefulshutdown.HttpTrafficTest$ForkedTestCases.stopAtOnce(HttpTrafficTest.java:");
        assertThat(Fixtures.failureMessage(events, "stopsAcceptingAtOnce"))
                .containsPattern("REQUEST_REFUSED: \\d+ of \\d+ requests to GET http://127.0.0.1:\\d+/ping arriving within the "
                        + "propagation window \\(400 ms after SIGTERM\\) were refused");
        Fixtures.assertPassed(events, "stopThatDrains", "lameDuckDelayThenDrain");
    }

    /** A JDK HttpServer on loopback: {@code /export} takes {@code exportMillis}, {@code /ping} answers at once. */
    static HttpServer server(long exportMillis) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            ExecutorService handlers = Executors.newFixedThreadPool(4);
            server.setExecutor(handlers);
            server.createContext("/export", exchange -> {
                try {
                    Thread.sleep(exportMillis); // the application is slow: an export takes its time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, "exported");
            });
            server.createContext("/ping", exchange -> answer(exchange, "pong"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static URI uri(HttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static void onSigterm(Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-server"));
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class InFlightTestCases {
        @Test
        void stopAtOnce(HttpTraffic traffic) {
            HttpServer server = server(3_000);
            onSigterm(() -> server.stop(0));
            traffic.inFlight(uri(server, "/export"), 2);
        }

        @Test
        void stopThatDrains(HttpTraffic traffic) {
            HttpServer server = server(300);
            onSigterm(() -> server.stop(3)); // waits up to 3 s for the exchanges in flight
            traffic.inFlight(uri(server, "/export"), 2);
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class SimulatorTestCases {
        static final AtomicReference<ShutdownReport> report = new AtomicReference<>();
        static final AtomicReference<java.util.List<HttpTraffic.Request>> requests = new AtomicReference<>();

        @Test
        void reportHasTheRequestCutOff(HttpTraffic traffic, ShutdownSimulator jvm) {
            HttpServer server = server(3_000);
            onSigterm(() -> server.stop(0));
            traffic.inFlight(uri(server, "/export"), 1);
            report.set(jvm.sigterm());
            requests.set(traffic.requests());
            // the client saw its request cut off; the kit saw the handler still running on the application's pool at the halt
            ShutdownAssertions.assertThat(report.get()).hasOnlyViolations(Violation.Kind.REQUEST_CUT_OFF, Violation.Kind.ABANDONED_TASK);
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class ArrivingTestCases {
        @Test
        void stopsAcceptingAtOnce(HttpTraffic traffic) {
            HttpServer server = server(0);
            onSigterm(() -> server.stop(0));
            traffic.arriving(uri(server, "/ping"), 50, Duration.ofMillis(400));
        }

        @Test
        void noShutdownPathAtAll(HttpTraffic traffic) {
            HttpServer server = server(0);
            traffic.arriving(uri(server, "/ping"), 50, Duration.ofMillis(400));
        }

        @Test
        void lameDuckDelayThenDrain(HttpTraffic traffic) {
            HttpServer server = server(0);
            onSigterm(() -> {
                try {
                    Thread.sleep(700); // the lame-duck delay: keep answering while the endpoint removal propagates
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                server.stop(1); // JDK 17's HttpServer waits the whole delay when nothing is in flight
            });
            traffic.arriving(uri(server, "/ping"), 50, Duration.ofMillis(400));
        }
    }

    @GracefulShutdownTest
    static class MisuseTestCases {
        @Test
        void notLoopback(HttpTraffic traffic) {
            traffic.arriving(URI.create("http://192.0.2.7:8080/orders"), 10, Duration.ofSeconds(1));
        }

        @Test
        void notHttp(HttpTraffic traffic) {
            traffic.inFlight(URI.create("ftp://127.0.0.1/orders"), 1);
        }

        @Test
        void nothingListens(HttpTraffic traffic) throws IOException {
            int port;
            try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }
            traffic.inFlight(URI.create("http://127.0.0.1:" + port + "/export"), 1);
        }

        @Test
        void afterTheShutdown(HttpTraffic traffic, ShutdownSimulator jvm) {
            jvm.sigterm();
            traffic.arriving(URI.create("http://127.0.0.1:9/ping"), 10, Duration.ofSeconds(1));
        }

        @Test
        void badRate(HttpTraffic traffic) {
            traffic.arriving(URI.create("http://127.0.0.1:9/ping"), 0, Duration.ofSeconds(1));
        }
    }

    /** The same servers in a real JVM: the child runs them, the parent sends the requests and sends SIGTERM. */
    @GracefulShutdownTest(gracePeriod = "5s", fork = true)
    static class ForkedTestCases {
        @Test
        void stopAtOnce(HttpTraffic traffic) {
            HttpServer server = server(3_000);
            onSigterm(() -> server.stop(0));
            traffic.inFlight(uri(server, "/export"), 2);
        }

        @Test
        void stopThatDrains(HttpTraffic traffic) {
            HttpServer server = server(300);
            onSigterm(() -> server.stop(3));
            traffic.inFlight(uri(server, "/export"), 2);
        }

        @Test
        void stopsAcceptingAtOnce(HttpTraffic traffic) {
            HttpServer server = server(0);
            onSigterm(() -> server.stop(0));
            traffic.arriving(uri(server, "/ping"), 50, Duration.ofMillis(400));
        }

        @Test
        void lameDuckDelayThenDrain(HttpTraffic traffic) {
            HttpServer server = server(0);
            onSigterm(() -> {
                try {
                    Thread.sleep(700); // the lame-duck delay
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                server.stop(1);
            });
            traffic.arriving(uri(server, "/ping"), 50, Duration.ofMillis(400));
        }
    }
}
