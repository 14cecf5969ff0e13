package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.jetty.ExportWebServer;
import dev.gracefulshutdown.examples.jetty.ExportWebServer.Shutdown;
import dev.gracefulshutdown.http.HttpTraffic;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Requests through the shutdown of a Jetty 12 web service ({@link ExportWebServer}): an export (1.5 s) in flight when
 * {@code SIGTERM} comes, and pings still arriving for half a second after it, as a load balancer sends them while the
 * removal of the pod's endpoint propagates. Each test starts its own server; its shutdown hook is the application's.
 */
@GracefulShutdownTest(gracePeriod = "10s")
class JettyHttpShutdownTest {

    private static final Duration EXPORT = Duration.ofMillis(1500);

    /*
     * server.stop() with a 200 ms stop timeout and no GracefulHandler: Jetty closes the connection under the export
     * and its pool's stop interrupts the handler. Without expect (in-process and forked alike):
     *
     * 1) REQUEST_CUT_OFF: 1 request to GET http://127.0.0.1:33143/export was accepted and never answered (1 in flight at SIGTERM)
     *      sent from dev.gracefulshutdown.examples.JettyHttpShutdownTest.stopWithoutAGracefulHandlerCutsOffTheExport(JettyHttpShutdownTest.java:39)
     *      request#1: sent 105 ms before SIGTERM; its connection closed before the answer, and the client's retry refused 223 ms after SIGTERM
     *      fix: stop the server gracefully in the shutdown path and wait for the requests in flight within the grace period: ... Jetty: a GracefulHandler and setStopTimeout; ...
     *
     * 2) INTERRUPTED_TASK: task org.eclipse.jetty.io.SelectableChannelEndPoint$1 (task#6) on Jetty's QueuedThreadPool#1 was interrupted while running on thread "jetty-web-26"
     *      submitted at org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy.execute(AdaptiveExecutionStrategy.java:528)
     *      interrupted by dev.gracefulshutdown.examples.jetty.ExportWebServer.stop(ExportWebServer.java:69) via org.eclipse.jetty.util.thread.QueuedThreadPool.doStop(QueuedThreadPool.java:290)
     */
    @Test
    @GracefulShutdownTest(expect = {Violation.Kind.REQUEST_CUT_OFF, Violation.Kind.INTERRUPTED_TASK})
    void stopWithoutAGracefulHandlerCutsOffTheExport(HttpTraffic traffic) throws Exception {
        ExportWebServer server = ExportWebServer.start(Shutdown.STOP, EXPORT);
        traffic.inFlight(uri(server, "/export"), 1);
    }

    /** A GracefulHandler and a stop timeout longer than the export: Jetty stops accepting and waits for it. Clean. */
    @Test
    void aGracefulHandlerLetsTheExportFinish(HttpTraffic traffic) throws Exception {
        ExportWebServer server = ExportWebServer.start(Shutdown.GRACEFUL, EXPORT);
        traffic.inFlight(uri(server, "/export"), 1);
    }

    /*
     * Graceful, but the stop begins at SIGTERM: Jetty closes its connector at once and the GracefulHandler answers 503
     * on the connections still open, while the load balancer routes pings here for another 500 ms. Without expect:
     *
     * 1) REQUEST_REFUSED: 21 of 21 requests to GET http://127.0.0.1:37781/ping arriving within the propagation window (500 ms after SIGTERM) were refused
     *      sent from dev.gracefulshutdown.examples.JettyHttpShutdownTest.aGracefulStopAtSigtermRefusesTheRequestsStillArriving(JettyHttpShutdownTest.java:62)
     *      1 connection refused (the server had stopped accepting), the first 6 ms after SIGTERM
     *      20 found no server: the JVM halted 9 ms after SIGTERM, before the window closed at 500 ms
     *      fix: keep answering while the load balancer still routes to the application: on SIGTERM first report not ready (readiness probe failing), then keep accepting for as long as the endpoint removal takes to propagate (a preStop sleep, or a lame-duck delay at the start of the shutdown hook), and only then stop the server gracefully; ...
     *
     * Forked, the real JVM takes longer to go (571 ms), and the same requests are seen refused and answered 503:
     *      8 connection refused (the server had stopped accepting), the first 359 ms after SIGTERM
     *      11 answered 503, the first 482 ms after SIGTERM
     */
    @Test
    @GracefulShutdownTest(expect = Violation.Kind.REQUEST_REFUSED)
    void aGracefulStopAtSigtermRefusesTheRequestsStillArriving(HttpTraffic traffic) throws Exception {
        ExportWebServer server = ExportWebServer.start(Shutdown.GRACEFUL, EXPORT);
        traffic.arriving(uri(server, "/ping"), 40, Duration.ofMillis(500));
    }

    /** A lame-duck delay longer than the propagation window, then the graceful stop: every request answered. Clean. */
    @Test
    void aLameDuckDelayThenAGracefulStopAnswersEveryRequest(HttpTraffic traffic) throws Exception {
        ExportWebServer server = ExportWebServer.start(Shutdown.LAME_DUCK_THEN_GRACEFUL, EXPORT);
        traffic.inFlight(uri(server, "/export"), 1).arriving(uri(server, "/ping"), 40, Duration.ofMillis(500));
    }

    private static URI uri(ExportWebServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
