package dev.gracefulshutdown.internal.http;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * One request as its client saw it: when it was sent, and when and how it ended. Written by the client's callback,
 * read by the judge as a {@link Record}.
 */
final class Exchange {

    /** What the client saw. */
    enum Seen {
        /** An answer with a status (and whether it told the client to close its keep-alive connection). */
        ANSWERED,
        /** The connection was refused: nothing listened any more. */
        CONNECTION_REFUSED,
        /** The connection was reset or closed before the whole answer arrived. */
        BROKEN,
        /** No answer within the request's timeout. */
        TIMED_OUT,
        /** Not sent: the JVM had already exited, so nothing could answer it (it would have been sent then). */
        NO_SERVER
    }

    /**
     * One request, immutable.
     *
     * @param id its number, in the order sent (1, 2, ...)
     * @param uri where it went
     * @param inFlight sent by {@code inFlight}, otherwise by {@code arriving}
     * @param sentNanos when it was sent ({@link System#nanoTime()})
     * @param endedNanos when it ended; 0 while it has not
     * @param seen what the client saw; {@code null} while it has not ended
     * @param status the answer's status; 0 without one
     * @param toldToClose whether the answer said {@code Connection: close}
     * @param failure the exception, as text; empty without one
     * @param sentFrom the test's call site that sent it
     */
    record Record(int id, URI uri, boolean inFlight, long sentNanos, long endedNanos, Seen seen, int status,
            boolean toldToClose, String failure, String sentFrom) {

        boolean ended() {
            return seen != null;
        }
    }

    private final int id;
    private final URI uri;
    private final boolean inFlight;
    private final long sentNanos;
    private final String sentFrom;
    private volatile Record ended;
    private volatile long answeredNanos;

    Exchange(int id, URI uri, boolean inFlight, String sentFrom) {
        this.id = id;
        this.uri = uri;
        this.inFlight = inFlight;
        this.sentFrom = sentFrom;
        this.sentNanos = System.nanoTime();
    }

    /**
     * Discards the body and notes when the status line and headers arrived: that is when the server answered, a
     * moment before the client's own threads complete the request.
     */
    HttpResponse.BodyHandler<Void> answerNoted() {
        return info -> {
            answeredNanos = System.nanoTime();
            return HttpResponse.BodySubscribers.discarding();
        };
    }

    /** The client's callback: records the answer or the failure, once. */
    void end(HttpResponse<?> response, Throwable failure) {
        long now = System.nanoTime();
        if (ended != null) {
            return;
        }
        if (response != null) {
            boolean close = response.headers().allValues("connection").stream().anyMatch(v -> v.equalsIgnoreCase("close"));
            long answered = answeredNanos == 0 ? now : answeredNanos;
            ended = new Record(id, uri, inFlight, sentNanos, answered, Seen.ANSWERED, response.statusCode(), close, "", sentFrom);
            return;
        }
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        ended = new Record(id, uri, inFlight, sentNanos, now, seenFor(cause), 0, false, String.valueOf(cause), sentFrom);
    }

    private static Seen seenFor(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return Seen.CONNECTION_REFUSED;
            }
        }
        if (failure instanceof HttpTimeoutException) {
            return Seen.TIMED_OUT;
        }
        return Seen.BROKEN; // reset, closed before the answer, or any other failure of the exchange
    }

    boolean hasEnded() {
        return ended != null;
    }

    Record record() {
        Record done = ended;
        return done != null ? done : new Record(id, uri, inFlight, sentNanos, 0, null, 0, false, "", sentFrom);
    }
}
