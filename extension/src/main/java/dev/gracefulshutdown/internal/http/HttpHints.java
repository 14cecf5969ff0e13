package dev.gracefulshutdown.internal.http;

/** The usual fixes for requests lost in the shutdown, in one line each. */
final class HttpHints {

    static final String CUT_OFF = "stop the server gracefully in the shutdown path and wait for the requests in flight "
            + "within the grace period: stop accepting, let the running requests finish, then stop (Spring Boot: "
            + "server.shutdown=graceful with spring.lifecycle.timeout-per-shutdown-phase longer than the slowest request; "
            + "Jetty: a GracefulHandler and setStopTimeout; Netty: shutdownGracefully(quietPeriod, timeout) and await it; "
            + "the JDK's HttpServer: stop(delay) with a delay longer than the request)";
    static final String REFUSED = "keep answering while the load balancer still routes to the application: on SIGTERM "
            + "first report not ready (readiness probe failing), then keep accepting for as long as the endpoint removal "
            + "takes to propagate (a preStop sleep, or a lame-duck delay at the start of the shutdown hook), and only then "
            + "stop the server gracefully; the delay plus the drain must fit in the grace period";
    static final String KEEP_ALIVE = "; once the shutdown began, answer with Connection: close so that keep-alive clients "
            + "reconnect elsewhere instead of being reset when the server closes their connection";

    private HttpHints() {
    }
}
