package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.web.ExportWebApplication;
import dev.gracefulshutdown.http.HttpTraffic;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Requests in flight when SIGTERM comes, on Spring Boot 4 with Tomcat: {@code @SpringBootTest(webEnvironment =
 * RANDOM_PORT)} starts the real server in the test's lifetime, {@link HttpTraffic} sends a request to the slow
 * endpoint and returns once Tomcat runs it, and the simulated SIGTERM closes the context as Boot's shutdown hook
 * would. Each nested class is one configuration, with a context of its own.
 */
@GracefulShutdownTest(gracePeriod = "15s")
class SpringBootHttpShutdownTest {

    abstract static class ExportInFlight {
        @Value("${local.server.port}")
        int port;

        URI export() {
            return URI.create("http://127.0.0.1:" + port + "/export");
        }

        URI ping() {
            return URI.create("http://127.0.0.1:" + port + "/ping");
        }
    }

    /*
     * server.shutdown=immediate: Tomcat stops at once, shutdownNow() interrupts the export, and its client never gets an
     * answer. Without expect:
     *
     * 1) REQUEST_CUT_OFF: 1 request to GET http://127.0.0.1:42057/export was accepted and never answered (1 in flight at SIGTERM)
     *      sent from dev.gracefulshutdown.examples.SpringBootHttpShutdownTest$Immediate.exportInFlightIsCutOff(SpringBootHttpShutdownTest.java:52)
     *      request#1: sent 80 ms before SIGTERM; reset or closed before the answer (java.io.IOException: HTTP/1.1 header parser received no bytes) 149 ms after SIGTERM
     *      fix: stop the server gracefully in the shutdown path and wait for the requests in flight within the grace period: stop accepting, let the running requests finish, then stop (Spring Boot: server.shutdown=graceful with spring.lifecycle.timeout-per-shutdown-phase longer than the slowest request; ...)
     *
     * 2) INTERRUPTED_TASK: task org.apache.tomcat.util.net.NioEndpoint$SocketProcessor (task#7) on Tomcat's ThreadPoolExecutor#3 was interrupted while running on thread "http-nio-127.0.0.1-auto-2-exec-1"
     *      submitted at org.apache.tomcat.util.net.AbstractEndpoint.processSocket(AbstractEndpoint.java:2126)
     *      interrupted by shutdownNow() at org.apache.tomcat.util.threads.ThreadPoolExecutor.shutdownNow(ThreadPoolExecutor.java:1205)
     */
    @Nested
    @SpringBootTest(classes = ExportWebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "server.address=127.0.0.1",
                "server.shutdown=immediate"})
    class Immediate extends ExportInFlight {
        @Test
        @GracefulShutdownTest(expect = {Violation.Kind.REQUEST_CUT_OFF, Violation.Kind.INTERRUPTED_TASK})
        void exportInFlightIsCutOff(HttpTraffic traffic) {
            traffic.inFlight(export(), 1);
        }
    }

    /** server.shutdown=graceful with a phase timeout longer than the export: Tomcat waits for it. Clean. */
    @Nested
    @SpringBootTest(classes = ExportWebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "server.address=127.0.0.1",
                "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=10s"})
    class Graceful extends ExportInFlight {
        @Test
        void exportInFlightIsAnswered(HttpTraffic traffic) {
            traffic.inFlight(export(), 1);
        }
    }

    /*
     * The load balancer keeps routing new requests for half a second after SIGTERM (the endpoint removal propagates),
     * but the graceful stop begins at once: Tomcat stops accepting, and the JVM is gone long before the window closes.
     * Without expect:
     *
     * 1) REQUEST_REFUSED: 21 of 21 requests to GET http://127.0.0.1:43203/ping arriving within the propagation window (500 ms after SIGTERM) were refused
     *      sent from dev.gracefulshutdown.examples.SpringBootHttpShutdownTest$GracefulWithoutALameDuckDelay.requestsStillArrivingAreRefused(SpringBootHttpShutdownTest.java:80)
     *      3 connection refused (the server had stopped accepting), the first 51 ms after SIGTERM
     *      18 found no server: the JVM halted 68 ms after SIGTERM, before the window closed at 500 ms
     *      fix: keep answering while the load balancer still routes to the application: on SIGTERM first report not ready (readiness probe failing), then keep accepting for as long as the endpoint removal takes to propagate (a preStop sleep, or a lame-duck delay at the start of the shutdown hook), and only then stop the server gracefully; ...
     */
    @Nested
    @SpringBootTest(classes = ExportWebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "server.address=127.0.0.1",
                "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=10s"})
    class GracefulWithoutALameDuckDelay extends ExportInFlight {
        @Test
        @GracefulShutdownTest(expect = Violation.Kind.REQUEST_REFUSED)
        void requestsStillArrivingAreRefused(HttpTraffic traffic) {
            traffic.arriving(ping(), 40, Duration.ofMillis(500));
        }
    }

    /** A lame-duck delay longer than the propagation window before the graceful stop: every request answered. Clean. */
    @Nested
    @SpringBootTest(classes = ExportWebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"logging.level.root=warn", "spring.main.banner-mode=off", "server.address=127.0.0.1",
                "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=10s", "export.lame-duck=800ms"})
    class GracefulAfterALameDuckDelay extends ExportInFlight {
        @Test
        void requestsStillArrivingAreAnswered(HttpTraffic traffic) {
            traffic.inFlight(export(), 1).arriving(ping(), 40, Duration.ofMillis(500));
        }
    }
}
