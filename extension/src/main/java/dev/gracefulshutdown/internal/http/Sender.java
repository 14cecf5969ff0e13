package dev.gracefulshutdown.internal.http;

import static dev.gracefulshutdown.http.HttpTraffic.MAX_REQUESTS_PER_STREAM;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.http.HttpTraffic;
import dev.gracefulshutdown.internal.capture.Capture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Sends the requests of one test's traffic and keeps what each one saw. It knows nothing of where the application
 * runs: the simulated JVM in this one, or a forked child JVM. Its client, its sender thread and everything they do
 * are the kit's, never the application's: they are created and used as the test JVM's own ({@link Capture#asTheTestJvm}).
 */
final class Sender implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final long CLIENT_SLACK_MILLIS = 100;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long TRIGGER_POLL_MILLIS = 1;

    /** Where the shutdown stands, as the streams need it. */
    interface Clock {
        /** When the shutdown began ({@link System#nanoTime()}), also once the JVM is gone; 0 while it has not. */
        long triggerNanos();

        /** The JVM is gone (halted), or the test is over: the streams stop. */
        boolean over();
    }

    /** The trigger and the halt as an orchestrator outside the application sees them, set when they happen. */
    static final class Moments implements Clock {
        private volatile long triggerNanos;
        private volatile long haltNanos;

        @Override
        public long triggerNanos() {
            return triggerNanos;
        }

        @Override
        public boolean over() {
            return haltNanos != 0;
        }

        long haltNanos() {
            return haltNanos;
        }

        void triggered(long nanos) {
            triggerNanos = nanos;
        }

        void halted(long nanos) {
            haltNanos = nanos;
        }
    }

    private final Clock clock;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final ScheduledExecutorService sender;
    private final ExecutorService requests;
    private final List<Exchange> sent = new CopyOnWriteArrayList<>();
    private final List<TrafficJudge.Stream> streams = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> running = new CopyOnWriteArrayList<>();
    /** The streams waiting for the trigger, each with whether it has started. */
    private final List<Map.Entry<TrafficJudge.Stream, AtomicBoolean>> awaiting =
            new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;

    Sender(Clock clock, Duration gracePeriod) {
        this.clock = clock;
        this.requestTimeout = gracePeriod.plusSeconds(2);
        this.client = asTheTestJvm(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build());
        this.sender = asTheTestJvm(() -> Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "graceful-shutdown-http-traffic");
            thread.setDaemon(true);
            return thread;
        }));
        this.requests = asTheTestJvm(Sender::requestThreads);
    }

    /**
     * Each request waits for its answer on a thread of its own: a virtual one where the JDK has them, otherwise a
     * daemon thread of the kit's. Not {@code sendAsync}: its future completes on {@code ForkJoinPool.commonPool()}
     * (on JDK 25, even with a parallelism of 1), which the application under test may keep busy, and then no request
     * would ever be seen to end.
     */
    private static ExecutorService requestThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException jdk17) {
            AtomicInteger threads = new AtomicInteger();
            return Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "graceful-shutdown-http-request-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Sends {@code count} requests now. */
    List<Exchange> inFlight(URI uri, int count, String from) {
        return asTheTestJvm(() -> {
            List<Exchange> mine = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                mine.add(send(uri, true, from));
            }
            return mine;
        });
    }

    /**
     * Sends one request every {@code periodNanos} from the trigger until {@code window} after it. The stream waits for
     * the trigger, polled every {@value #TRIGGER_POLL_MILLIS} ms on the sender's thread, rather than starting now: the
     * test method's time before the trigger differs between a simulated JVM and a forked one (the parent sees the
     * method end only at its next poll), and requests sent in that time would meet a different server in each.
     */
    void arriving(URI uri, long periodNanos, Duration window, String from) {
        AtomicInteger count = new AtomicInteger();
        Runnable tick = () -> {
            long trigger = clock.triggerNanos();
            boolean windowClosed = trigger != 0 && System.nanoTime() - trigger > window.toNanos();
            if (closed || clock.over() || windowClosed || count.incrementAndGet() > MAX_REQUESTS_PER_STREAM) {
                throw new StopStream(); // ends a fixed-rate schedule; after the halt the judge counts the rest
            }
            send(uri, false, from);
        };
        Map.Entry<TrafficJudge.Stream, AtomicBoolean> waiting =
                Map.entry(new TrafficJudge.Stream(uri, 0, periodNanos, window.toNanos(), from), new AtomicBoolean());
        Runnable awaitTheTrigger = () -> {
            long trigger = clock.triggerNanos();
            if (trigger != 0) { // the stream runs from the trigger; after a halt the judge counts what it would have sent
                if (startAt(waiting, trigger) && !closed && !clock.over()) {
                    running.add(sender.scheduleAtFixedRate(tick, 0, periodNanos, TimeUnit.NANOSECONDS));
                }
                throw new StopStream();
            }
            if (closed || clock.over()) {
                throw new StopStream();
            }
        };
        awaiting.add(waiting);
        asTheTestJvm(() -> running.add(sender.scheduleWithFixedDelay(awaitTheTrigger, 0, TRIGGER_POLL_MILLIS,
                TimeUnit.MILLISECONDS)));
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
        try {
            requests.execute(() -> {
                try {
                    exchange.end(client.send(request, exchange.answerNoted()), null);
                } catch (IOException | RuntimeException failed) {
                    exchange.end(null, failed);
                } catch (InterruptedException closed) { // the test is over
                    exchange.end(null, closed);
                }
            });
        } catch (RejectedExecutionException closed) { // a stream's last tick, as the test ends
            exchange.end(null, closed);
        }
        return exchange;
    }

    /** Every request so far, not judged yet, its time counted from {@code triggerNanos} (or now, before the trigger). */
    List<HttpTraffic.Request> sofar(long triggerNanos) {
        long trigger = triggerNanos != 0 ? triggerNanos : System.nanoTime();
        List<HttpTraffic.Request> sofar = new ArrayList<>();
        for (Exchange exchange : sent) {
            Exchange.Record r = exchange.record();
            sofar.add(new HttpTraffic.Request(r.uri(), r.inFlight(), Duration.ofNanos(r.sentNanos() - trigger),
                    HttpTraffic.Outcome.PENDING, r.ended() ? String.valueOf(r.seen()) : "no answer yet"));
        }
        return sofar;
    }

    /**
     * The JVM has halted at {@code haltNanos} (0: it would not exit): the streams stop, the client gets a moment to
     * note the answers that left the server before the halt, and every request is judged.
     */
    TrafficJudge.Judged judge(long triggerNanos, long haltNanos, ShutdownTrigger trigger) {
        stopStreams();
        startTheAwaiting(triggerNanos);
        awaitTheClient(haltNanos);
        List<Exchange.Record> records = sent.stream().map(Exchange::record).toList();
        return TrafficJudge.judge(records, streams, triggerNanos, haltNanos, trigger);
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

    void stopStreams() {
        running.forEach(stream -> stream.cancel(false));
    }

    /**
     * Streams that had not yet seen the trigger when they were stopped (a JVM that halted within the first poll) start
     * at the trigger all the same: the judge counts the requests they would have sent.
     */
    private void startTheAwaiting(long triggerNanos) {
        if (triggerNanos == 0) {
            return;
        }
        awaiting.forEach(stream -> startAt(stream, triggerNanos));
    }

    /** Starts a waiting stream at the trigger, once: {@code true} if this call started it. */
    private boolean startAt(Map.Entry<TrafficJudge.Stream, AtomicBoolean> waiting, long triggerNanos) {
        if (!waiting.getValue().compareAndSet(false, true)) {
            return false;
        }
        streams.add(waiting.getKey().from(triggerNanos));
        return true;
    }

    /** At the end of the test: no request outlives it (the client's own requests end within their timeout). */
    @Override
    public void close() {
        closed = true;
        stopStreams();
        sender.shutdownNow();
        requests.shutdownNow();
        try { // JDK 21+: HttpClient.shutdownNow() ends its connections and threads now
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (ReflectiveOperationException | RuntimeException olderJdk) {
            // JDK 17: the selector thread ends when the client is unreachable
        }
    }

    private static <T> T asTheTestJvm(Supplier<T> action) {
        Object[] result = new Object[1];
        Capture.asTheTestJvm(() -> result[0] = action.get());
        @SuppressWarnings("unchecked") // what the supplier returned
        T value = (T) result[0];
        return value;
    }
}
