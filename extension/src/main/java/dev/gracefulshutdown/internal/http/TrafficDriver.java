package dev.gracefulshutdown.internal.http;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.http.HttpTraffic;
import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.LiveThread;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.capture.ThreadActivity;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The traffic of one test: sends the requests, records each one's outcome ({@link Exchange}), and once the simulated
 * JVM has halted hands the judged outcomes to the report ({@link Simulation.Witness}). Its client, its sender thread
 * and everything they do are the kit's, never the application's: they are created and used as the test JVM's own
 * ({@link Capture#asTheTestJvm}), so the capture attributes nothing of them to the test.
 */
public final class TrafficDriver implements HttpTraffic, Simulation.Witness, AutoCloseable {

    private static final Duration SEEN_AT_WORK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MAX_WINDOW = Duration.ofMinutes(5);
    private static final int MAX_IN_FLIGHT = 1000;
    private static final int MAX_RATE = 1000;
    private static final long CLIENT_SLACK_MILLIS = 100;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Scope scope;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final ScheduledExecutorService sender;
    private final List<Exchange> sent = new CopyOnWriteArrayList<>();
    private final List<TrafficJudge.Stream> streams = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile List<Request> judged;
    private volatile boolean closed;

    private TrafficDriver(Scope scope, Duration gracePeriod) {
        this.scope = scope;
        this.requestTimeout = gracePeriod.plusSeconds(2);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "graceful-shutdown-http-traffic");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The traffic of the test whose application lives in {@code scope}; its verdict joins the simulation's report. */
    public static TrafficDriver start(Scope scope, Simulation simulation, Duration gracePeriod) {
        TrafficDriver driver = asTheTestJvm(() -> new TrafficDriver(scope, gracePeriod));
        simulation.witness(driver);
        return driver;
    }

    @Override
    public HttpTraffic inFlight(URI uri, int count) {
        requireRunning("inFlight");
        checkLoopback(uri);
        if (count < 1 || count > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("HttpTraffic.inFlight: count must be 1 to " + MAX_IN_FLIGHT + ", not " + count);
        }
        String from = callSite();
        Set<Thread> busyBefore = working();
        List<Exchange> mine = new ArrayList<>();
        asTheTestJvm(() -> {
            for (int i = 0; i < count; i++) {
                mine.add(send(uri, true, from));
            }
            return null;
        });
        long start = System.nanoTime();
        long deadline = start + SEEN_AT_WORK_TIMEOUT.toNanos();
        while (true) {
            Set<Thread> busy = working();
            busy.removeAll(busyBefore);
            if (busy.size() >= count) {
                return this;
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

    @Override
    public HttpTraffic arriving(URI uri, int perSecond, Duration window) {
        requireRunning("arriving");
        checkLoopback(uri);
        if (perSecond < 1 || perSecond > MAX_RATE) {
            throw new IllegalArgumentException("HttpTraffic.arriving: perSecond must be 1 to " + MAX_RATE + ", not " + perSecond);
        }
        if (window == null || window.isZero() || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("HttpTraffic.arriving: the window must be longer than zero and at most "
                    + MAX_WINDOW.toMinutes() + " minutes, not " + window);
        }
        String from = callSite();
        long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
        AtomicInteger count = new AtomicInteger();
        asTheTestJvm(() -> {
            long start = System.nanoTime();
            streams.add(new TrafficJudge.Stream(uri, start, period, window.toNanos(), from));
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            Runnable tick = () -> {
                Scope.Phase phase = scope.phase();
                boolean windowClosed = phase == Scope.Phase.SHUTTING_DOWN
                        && System.nanoTime() - scope.shutdownStartedNanos() > window.toNanos();
                if (closed || phase == Scope.Phase.HALTED || phase == Scope.Phase.CLOSED || windowClosed
                        || count.incrementAndGet() > MAX_REQUESTS_PER_STREAM) {
                    throw new StopStream(); // ends a fixed-rate schedule; after the halt the judge counts the rest
                }
                send(uri, false, from);
            };
            running.add(sender.scheduleAtFixedRate(tick, 0, period, TimeUnit.NANOSECONDS));
            return null;
        });
        return this;
    }

    /** Thrown by a stream's tick to end it. */
    private static final class StopStream extends RuntimeException {
        StopStream() {
            super(null, null, false, false);
        }
    }

    private Exchange send(URI uri, boolean inFlight, String from) {
        Exchange exchange = new Exchange(ids.incrementAndGet(), uri, inFlight, from);
        sent.add(exchange);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        client.sendAsync(request, exchange.answerNoted()).whenComplete(exchange::end);
        return exchange;
    }

    @Override
    public List<Request> requests() {
        List<Request> done = judged;
        if (done != null) {
            return done;
        }
        long trigger = scope.isShuttingDownOrLater() ? scope.shutdownStartedNanos() : System.nanoTime();
        List<Request> sofar = new ArrayList<>();
        for (Exchange exchange : sent) {
            Exchange.Record r = exchange.record();
            sofar.add(new Request(r.uri(), r.inFlight(), Duration.ofNanos(r.sentNanos() - trigger), Outcome.PENDING,
                    r.ended() ? String.valueOf(r.seen()) : "no answer yet"));
        }
        return sofar;
    }

    /** The simulated JVM has halted: the streams stop, and what every request saw is judged. */
    @Override
    public List<Violation> verdict(ShutdownReport report) {
        stopStreams();
        long halt = report.jvmExits() ? scope.haltedNanos() : 0;
        awaitTheClient(halt);
        List<Exchange.Record> records = sent.stream().map(Exchange::record).toList();
        TrafficJudge.Judged verdict = TrafficJudge.judge(records, streams, scope.shutdownStartedNanos(), halt, report.trigger());
        judged = verdict.requests();
        return verdict.violations();
    }

    /**
     * A request answered just before the halt completes on the client's threads a moment later: they get up to
     * {@value #CLIENT_SLACK_MILLIS} ms to note it, and only requests sent before the halt are waited for.
     */
    private void awaitTheClient(long halt) {
        if (halt == 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLIENT_SLACK_MILLIS);
        while (System.nanoTime() - deadline < 0
                && sent.stream().anyMatch(e -> !e.hasEnded() && e.record().sentNanos() <= halt)) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void stopStreams() {
        running.forEach(stream -> stream.cancel(false));
    }

    /** At the end of the test: no request outlives it (the client's own requests end within their timeout). */
    @Override
    public void close() {
        closed = true;
        stopStreams();
        sender.shutdownNow();
        try { // JDK 21+: HttpClient.shutdownNow() ends its connections and threads now
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (ReflectiveOperationException | RuntimeException olderJdk) {
            // JDK 17: the selector thread ends when the client is unreachable
        }
    }

    private void requireRunning(String method) {
        if (scope.phase() != Scope.Phase.RUNNING) {
            throw new IllegalStateException("HttpTraffic." + method + ": the simulated JVM has already shut down; "
                    + "start the traffic before the shutdown");
        }
    }

    /** The application's threads that run its code now (the test's own thread aside). */
    private Set<Thread> working() {
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
        if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("HttpTraffic: " + uri + " is not an http:// URI with a host; the traffic "
                    + "goes to the application under test on this machine, e.g. http://127.0.0.1:8080/orders");
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
    private static String callSite() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("dev.gracefulshutdown.internal.")
                        && !f.getClassName().startsWith("dev.gracefulshutdown.http.")
                        && !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk."))
                .findFirst().map(f -> f.toStackTraceElement().toString()).orElse("the test"));
    }

    private static <T> T asTheTestJvm(Supplier<T> action) {
        Object[] result = new Object[1];
        Capture.asTheTestJvm(() -> result[0] = action.get());
        @SuppressWarnings("unchecked") // what the supplier returned
        T value = (T) result[0];
        return value;
    }
}
