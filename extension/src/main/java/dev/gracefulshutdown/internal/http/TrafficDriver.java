package dev.gracefulshutdown.internal.http;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.http.HttpTraffic;
import dev.gracefulshutdown.internal.capture.LiveThread;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.capture.ThreadActivity;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The traffic of a test whose application runs in this JVM (the simulated one): sends the requests ({@link Sender}),
 * and once the simulated JVM has halted hands the judged outcomes to the report ({@link Simulation.Witness}).
 */
public final class TrafficDriver implements HttpTraffic, Simulation.Witness, AutoCloseable {

    private static final Duration SEEN_AT_WORK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_WINDOW = Duration.ofMinutes(5);
    private static final int MAX_IN_FLIGHT = 1000;
    private static final int MAX_RATE = 1000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Scope scope;
    private final Sender sender;
    private volatile List<Request> judged;

    private TrafficDriver(Scope scope, Duration gracePeriod) {
        this.scope = scope;
        this.sender = new Sender(new Sender.Clock() {
            @Override
            public long triggerNanos() {
                return scope.isShuttingDownOrLater() ? scope.shutdownStartedNanos() : 0;
            }

            @Override
            public boolean over() {
                return scope.phase() == Scope.Phase.HALTED || scope.phase() == Scope.Phase.CLOSED;
            }
        }, gracePeriod);
    }

    /** The traffic of the test whose application lives in {@code scope}; its verdict joins the simulation's report. */
    public static TrafficDriver start(Scope scope, Simulation simulation, Duration gracePeriod) {
        TrafficDriver driver = new TrafficDriver(scope, gracePeriod);
        simulation.witness(driver);
        return driver;
    }

    @Override
    public HttpTraffic inFlight(URI uri, int count) {
        requireRunning("inFlight");
        checkInFlight(uri, count);
        Set<Thread> busyBefore = working(scope);
        List<Exchange> mine = sender.inFlight(uri, count, callSite());
        awaitAtWork(scope, busyBefore, uri, count, mine);
        return this;
    }

    @Override
    public HttpTraffic arriving(URI uri, int perSecond, Duration window) {
        requireRunning("arriving");
        checkArriving(uri, perSecond, window);
        sender.arriving(uri, TimeUnit.SECONDS.toNanos(1) / perSecond, window, callSite());
        return this;
    }

    @Override
    public List<Request> requests() {
        List<Request> done = judged;
        if (done != null) {
            return done;
        }
        return sender.sofar(scope.isShuttingDownOrLater() ? scope.shutdownStartedNanos() : 0);
    }

    /** The simulated JVM has halted: the streams stop, and what every request saw is judged. */
    @Override
    public List<Violation> verdict(ShutdownReport report) {
        TrafficJudge.Judged verdict = sender.judge(scope.shutdownStartedNanos(), report.jvmExits() ? scope.haltedNanos() : 0,
                report.trigger());
        judged = verdict.requests();
        return verdict.violations();
    }

    @Override
    public void close() {
        sender.close();
    }

    private void requireRunning(String method) {
        if (scope.phase() != Scope.Phase.RUNNING) {
            throw new IllegalStateException("HttpTraffic." + method + ": the simulated JVM has already shut down; "
                    + "start the traffic before the shutdown");
        }
    }

    static void checkInFlight(URI uri, int count) {
        checkLoopback(uri);
        checkCount(count);
    }

    static void checkCount(int count) {
        if (count < 1 || count > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("HttpTraffic.inFlight: count must be 1 to " + MAX_IN_FLIGHT + ", not " + count);
        }
    }

    static void checkArriving(URI uri, int perSecond, Duration window) {
        checkLoopback(uri);
        checkRate(perSecond, window);
    }

    static void checkRate(int perSecond, Duration window) {
        if (perSecond < 1 || perSecond > MAX_RATE) {
            throw new IllegalArgumentException("HttpTraffic.arriving: perSecond must be 1 to " + MAX_RATE + ", not " + perSecond);
        }
        if (window == null || window.isZero() || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("HttpTraffic.arriving: the window must be longer than zero and at most "
                    + MAX_WINDOW.toMinutes() + " minutes, not " + window);
        }
    }

    /**
     * Returns once {@code count} more of the application's threads than {@code busyBefore} run its code: the requests
     * are being served. {@code mine}, when known here, tells a request that ended before it was seen.
     */
    static void awaitAtWork(Scope scope, Set<Thread> busyBefore, URI uri, int count, List<Exchange> mine) {
        long deadline = System.nanoTime() + SEEN_AT_WORK_TIMEOUT.toNanos();
        while (true) {
            Set<Thread> busy = working(scope);
            busy.removeAll(busyBefore);
            if (busy.size() >= count) {
                return;
            }
            for (Exchange exchange : mine) {
                if (exchange.hasEnded()) {
                    Exchange.Record r = exchange.record();
                    String how = r.seen() == Exchange.Seen.ANSWERED ? "answered " + r.status()
                            : r.seen() == Exchange.Seen.CONNECTION_REFUSED ? "connection refused: nothing listens there"
                            : r.failure();
                    throw new IllegalStateException("HttpTraffic.inFlight: a request to GET " + uri + " ended after "
                            + TimeUnit.NANOSECONDS.toMillis(r.endedNanos() - r.sentNanos()) + " ms (" + how
                            + ") before it was seen at work in the application: a request in flight needs an endpoint "
                            + "of this test's application that takes long enough to be caught running (a slow one)");
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("HttpTraffic.inFlight: " + count + " requests to GET " + uri
                        + " were sent, but after " + SEEN_AT_WORK_TIMEOUT.toSeconds() + " s only " + busy.size()
                        + " of the application's threads were seen running its code for them; inFlight needs an "
                        + "endpoint that runs on a thread while it is slow (a blocking handler) in this test's application");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The application's threads that run its code now (the test's own thread aside). */
    static Set<Thread> working(Scope scope) {
        Set<Thread> working = new HashSet<>();
        for (LiveThread live : scope.threads()) {
            Thread thread = live.thread();
            if (thread.isAlive() && !scope.isMainThread(thread) && ThreadActivity.isWorking(thread)) {
                working.add(thread);
            }
        }
        for (Thread thread : scope.threadsRunningItsTasks()) {
            if (!scope.isMainThread(thread) && ThreadActivity.isWorking(thread)) {
                working.add(thread);
            }
        }
        return working;
    }

    /** Loopback only: the kit never sends traffic off this machine. */
    static void checkLoopback(URI uri) {
        checkTarget(uri, null);
    }

    /** Loopback, or {@code alsoAllowed} (a container's mapped host), only. */
    static void checkTarget(URI uri, String alsoAllowed) {
        if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("HttpTraffic: " + uri + " is not an http:// URI with a host; the traffic "
                    + "goes to the application under test on this machine, e.g. http://127.0.0.1:8080/orders");
        }
        if (alsoAllowed != null && alsoAllowed.equalsIgnoreCase(uri.getHost())) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("HttpTraffic: the host of " + uri + " is unknown", e);
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("HttpTraffic: " + uri + " is not on the loopback interface ("
                        + uri.getHost() + " is " + address.getHostAddress() + "); the kit sends traffic only to the "
                        + "application under test on this machine: use 127.0.0.1, ::1 or localhost");
            }
        }
    }

    /** The test's line that started the traffic. */
    static String callSite() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("dev.gracefulshutdown.internal.")
                        && !f.getClassName().startsWith("dev.gracefulshutdown.http.")
                        && !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk."))
                .findFirst().map(f -> f.toStackTraceElement().toString()).orElse("the test"));
    }
}
