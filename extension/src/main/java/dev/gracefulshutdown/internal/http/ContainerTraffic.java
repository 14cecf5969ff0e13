package dev.gracefulshutdown.internal.http;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.http.HttpTraffic;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP traffic at an application in a container, from the test JVM: the load balancer's view of {@code docker stop}.
 * The kit cannot see inside the container before the stop, so a request is taken to be in flight once it has been
 * sent and stayed unanswered for {@value #SETTLE_MILLIS} ms (an endpoint slower than that).
 */
public final class ContainerTraffic implements HttpTraffic, AutoCloseable {

    static final long SETTLE_MILLIS = 250;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String host;
    private final Sender.Moments moments = new Sender.Moments();
    private final Sender sender;
    private volatile List<Request> judged;

    /**
     * @param host the host the container's ports are mapped on (as Testcontainers names it), besides loopback the only
     *     one the traffic may go to
     */
    public ContainerTraffic(String host, Duration gracePeriod) {
        this.host = host;
        this.sender = new Sender(moments, gracePeriod);
    }

    @Override
    public HttpTraffic inFlight(URI uri, int count) {
        requireRunning("inFlight");
        TrafficDriver.checkTarget(uri, host);
        TrafficDriver.checkCount(count);
        List<Exchange> mine = sender.inFlight(uri, count, TrafficDriver.callSite());
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        while (System.nanoTime() - until < 0) {
            for (Exchange exchange : mine) {
                if (exchange.hasEnded()) {
                    Exchange.Record r = exchange.record();
                    throw new IllegalStateException("HttpTraffic.inFlight: a request to GET " + uri + " ended after "
                            + TimeUnit.NANOSECONDS.toMillis(r.endedNanos() - r.sentNanos()) + " ms ("
                            + (r.seen() == Exchange.Seen.ANSWERED ? "answered " + r.status() : r.failure())
                            + "); in a container a request counts as in flight once it is unanswered for "
                            + SETTLE_MILLIS + " ms: use an endpoint of the application that is slower than that");
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return this;
    }

    @Override
    public HttpTraffic arriving(URI uri, int perSecond, Duration window) {
        requireRunning("arriving");
        TrafficDriver.checkTarget(uri, host);
        TrafficDriver.checkRate(perSecond, window);
        sender.arriving(uri, TimeUnit.SECONDS.toNanos(1) / perSecond, window, TrafficDriver.callSite());
        return this;
    }

    @Override
    public List<Request> requests() {
        List<Request> done = judged;
        if (done != null) {
            return done;
        }
        return sender.sofar(moments.triggerNanos());
    }

    /** {@code docker stop} sends {@code SIGTERM} now. */
    public void triggered(long nanos) {
        moments.triggered(nanos);
    }

    /** The container has stopped. */
    public void halted(long nanos) {
        moments.halted(nanos);
    }

    /** What the requests saw, judged against the stop. */
    public List<Violation> verdict(ShutdownTrigger trigger) {
        TrafficJudge.Judged verdict = sender.judge(moments.triggerNanos(), moments.haltNanos(), trigger);
        judged = verdict.requests();
        return verdict.violations();
    }

    private void requireRunning(String method) {
        if (moments.triggerNanos() != 0) {
            throw new IllegalStateException("HttpTraffic." + method + ": the container has already been stopped; "
                    + "start the traffic before dockerStop");
        }
    }

    @Override
    public void close() {
        sender.close();
    }
}
