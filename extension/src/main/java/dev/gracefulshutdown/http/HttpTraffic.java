package dev.gracefulshutdown.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * HTTP traffic through the shutdown, the way Kubernetes stops a pod: requests in flight when {@code SIGTERM} arrives,
 * and new requests that keep arriving for a while after it, because the load balancer routes to the pod until the
 * removal of its endpoint has propagated. Declare a parameter of this type in a test method of a
 * {@link dev.gracefulshutdown.GracefulShutdownTest} class:
 *
 * <pre>{@code
 * @Test
 * void noRequestIsLostOnSigterm(HttpTraffic traffic) {
 *     traffic.inFlight(URI.create("http://127.0.0.1:" + port + "/export"), 2)               // being served at SIGTERM
 *            .arriving(URI.create("http://127.0.0.1:" + port + "/ping"), 20, Duration.ofSeconds(1));
 * }   // the method returns: SIGTERM
 * }</pre>
 *
 * <p>Every request's outcome is judged, and the verdict joins the test's {@link dev.gracefulshutdown.ShutdownReport}:
 * a request the server had accepted and never answered (reset, closed before the response, a 5xx during the shutdown,
 * still running at the halt) is {@link dev.gracefulshutdown.Violation.Kind#REQUEST_CUT_OFF}; a request that arrived
 * within the propagation window and was refused (connection refused, reset, a 5xx, or no server at all because the
 * JVM had exited) is {@link dev.gracefulshutdown.Violation.Kind#REQUEST_REFUSED}.
 *
 * <p>Requests are {@code GET}s from the JDK's {@link java.net.http.HttpClient} over HTTP/1.1 with keep-alive, as real
 * clients send them, and only to the loopback interface. Everything is bounded: each request times out after the
 * grace period plus 2 s, a stream sends at most {@value #MAX_REQUESTS_PER_STREAM} requests, and the client's threads
 * belong to the kit, not to the application. In a {@code fork = true} test the child JVM runs the application and
 * the test method, and the parent JVM sends the requests, as a load balancer outside the pod would: they are judged
 * against the real {@code SIGTERM} and the real exit, and {@link #requests()} is empty in the child.
 *
 * <p>Not thread-safe for configuration: call it from the test's thread, before the shutdown.
 */
public interface HttpTraffic {

    /** The most requests one stream of {@link #arriving} sends. */
    int MAX_REQUESTS_PER_STREAM = 10_000;

    /**
     * Sends {@code count} requests to {@code uri} now and returns once each is being served: the application's code
     * runs it on one of the application's threads (a slow endpoint). They are in flight when the shutdown begins.
     * Fails with {@link IllegalStateException} if they are not seen at work within 10 s, or if one is answered before
     * it was seen (the endpoint is too fast to be in flight).
     *
     * @param uri an {@code http} URI on the loopback interface
     * @param count 1 to 1000
     */
    HttpTraffic inFlight(URI uri, int count);

    /**
     * Sends new requests to {@code uri} at a steady {@code perSecond} from the moment the shutdown begins until
     * {@code window} after it: the load balancer's propagation delay, during which the application must keep answering
     * (a preStop sleep, a lame-duck period). Returns at once; the first request goes out with the trigger, so the
     * time the test method takes after this call changes nothing (the traffic before the shutdown is {@link #inFlight}).
     *
     * @param uri an {@code http} URI on the loopback interface
     * @param perSecond 1 to 1000
     * @param window longer than zero, at most 5 minutes
     */
    HttpTraffic arriving(URI uri, int perSecond, Duration window);

    /** Every request so far with its outcome; after the shutdown, as judged. */
    List<Request> requests();

    /** How a request ended, as judged. */
    enum Outcome {
        /** Answered (a status below 500, or any answer before the shutdown). */
        COMPLETED,
        /** Accepted and never answered: reset, closed before the response, a 5xx during the shutdown, still running at the halt. */
        CUT_OFF,
        /** Arrived within the propagation window and was refused, reset, answered with a 5xx, or found no server. */
        REFUSED,
        /** Failed before the shutdown began: the application's own business, not judged. */
        FAILED_BEFORE_SHUTDOWN,
        /** Not decided yet (before the shutdown), or never (the JVM would not exit). */
        PENDING
    }

    /**
     * One request.
     *
     * @param uri where it went
     * @param inFlight sent by {@link #inFlight}, otherwise by {@link #arriving}
     * @param sentAfterTrigger when it was sent, from the start of the shutdown (negative: before it); for a request
     *     that found no server because the JVM had exited, when it would have been sent
     * @param outcome how it ended, as judged
     * @param seen what the client saw: {@code 200}, {@code connection refused}, the exception, {@code no server}
     */
    record Request(URI uri, boolean inFlight, Duration sentAfterTrigger, Outcome outcome, String seen) {
    }
}
