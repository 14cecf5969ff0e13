package dev.gracefulshutdown.internal.http;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.internal.report.Finding;
import dev.gracefulshutdown.http.HttpTraffic.Outcome;
import dev.gracefulshutdown.http.HttpTraffic.Request;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Judges what the clients saw, as pure functions of the requests, the streams and two instants: the trigger, and
 * the halt (0 when the JVM would not exit). A request ended after the halt did not end for a real client: the real
 * JVM was gone by then, so it was cut off there; a request a stream would have sent after the halt, within its
 * window, found no server.
 */
final class TrafficJudge {

    private static final int LISTED = 5;
    /** The client's own delay: an answer its threads noted this soon after the halt left the server before it. */
    static final long CLIENT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    /**
     * A stream of {@code arriving} requests: one every {@code periodNanos} from {@code startNanos} until
     * {@code windowNanos} after the trigger.
     */
    record Stream(URI uri, long startNanos, long periodNanos, long windowNanos, String sentFrom) {
        /** The same stream, starting at {@code nanos}. */
        Stream from(long nanos) {
            return new Stream(uri, nanos, periodNanos, windowNanos, sentFrom);
        }
    }

    record Judged(List<Request> requests, List<Violation> violations) {
    }

    private record Decided(Exchange.Record exchange, Outcome outcome, String seen) {
    }

    private TrafficJudge() {
    }

    static Judged judge(List<Exchange.Record> sent, List<Stream> streams, long triggerNanos, long haltNanos,
            ShutdownTrigger trigger) {
        List<Decided> decided = new ArrayList<>();
        for (Exchange.Record exchange : sent) {
            if (haltNanos != 0 && exchange.sentNanos() > haltNanos) {
                continue; // the real JVM was gone: counted below, with the requests its stream would have sent
            }
            decided.add(decide(exchange, triggerNanos, haltNanos, trigger, windowEnd(streams, exchange.uri(), triggerNanos)));
        }
        if (haltNanos != 0) {
            int next = sent.size();
            for (Stream stream : streams) {
                for (long at : ticksAfterTheHalt(stream, triggerNanos, haltNanos)) {
                    Exchange.Record none = new Exchange.Record(++next, stream.uri(), false, at, at, Exchange.Seen.NO_SERVER,
                            0, false, "", stream.sentFrom());
                    decided.add(new Decided(none, Outcome.REFUSED, "no server: the JVM had exited"));
                }
            }
        }
        List<Request> requests = new ArrayList<>();
        for (Decided d : decided) {
            requests.add(new Request(d.exchange().uri(), d.exchange().inFlight(),
                    Duration.ofNanos(d.exchange().sentNanos() - triggerNanos), d.outcome(), d.seen()));
        }
        List<Violation> violations = new ArrayList<>();
        violations.addAll(cutOff(decided, triggerNanos, haltNanos, trigger));
        violations.addAll(refused(decided, streams, triggerNanos, haltNanos, trigger));
        return new Judged(requests, violations);
    }

    /** When the propagation window of the streams to this URI closes; 0 without a stream. */
    private static long windowEnd(List<Stream> streams, URI uri, long trigger) {
        return streams.stream().filter(s -> s.uri().equals(uri)).mapToLong(s -> trigger + s.windowNanos()).max().orElse(0);
    }

    private static Decided decide(Exchange.Record r, long trigger, long halt, ShutdownTrigger name, long windowEnd) {
        boolean endedBeforeTheHalt = r.ended() && (halt == 0 || r.endedNanos() <= halt + CLIENT_DELAY_NANOS);
        if (!endedBeforeTheHalt) {
            if (halt == 0) {
                return new Decided(r, Outcome.PENDING, "no answer yet: the JVM would not exit");
            }
            // arrived after the trigger, and the JVM halted within its window: the window is what was missing
            boolean refused = !r.inFlight() && !sentBefore(r, trigger) && halt < windowEnd;
            return new Decided(r, refused ? Outcome.REFUSED : Outcome.CUT_OFF,
                    "still unanswered when the JVM halted, " + at(halt, trigger, name));
        }
        String seen = seen(r);
        if (r.endedNanos() < trigger) {
            boolean answered = r.seen() == Exchange.Seen.ANSWERED && r.status() < 500;
            return new Decided(r, answered ? Outcome.COMPLETED : Outcome.FAILED_BEFORE_SHUTDOWN, seen);
        }
        boolean sentBefore = sentBefore(r, trigger);
        switch (r.seen()) {
            case ANSWERED:
                if (r.status() < 500) {
                    return new Decided(r, Outcome.COMPLETED, seen);
                }
                return new Decided(r, sentBefore || r.inFlight() ? Outcome.CUT_OFF : Outcome.REFUSED, seen);
            case CONNECTION_REFUSED:
                if (r.inFlight()) { // it was seen at work: its connection was closed, and the client's retry refused
                    return new Decided(r, Outcome.CUT_OFF, "its connection closed before the answer, and the client's "
                            + "retry refused");
                }
                return new Decided(r, Outcome.REFUSED, seen); // it never reached the server
            case TIMED_OUT:
                return new Decided(r, Outcome.CUT_OFF, seen);
            default:
                return new Decided(r, sentBefore || r.inFlight() ? Outcome.CUT_OFF : Outcome.REFUSED, seen);
        }
    }

    /**
     * Whether a request was sent before the trigger. One of the arriving stream, sent within the client's own delay of
     * the trigger (the stream starts with the trigger, and the trigger's moment is taken on another thread), arrived
     * with the shutdown: it belongs to the propagation window, not to the work in flight.
     */
    private static boolean sentBefore(Exchange.Record r, long trigger) {
        return r.inFlight() ? r.sentNanos() < trigger : r.sentNanos() < trigger - CLIENT_DELAY_NANOS;
    }

    private static String seen(Exchange.Record r) {
        switch (r.seen()) {
            case ANSWERED:
                return String.valueOf(r.status());
            case CONNECTION_REFUSED:
                return "connection refused";
            case TIMED_OUT:
                return "no answer within its timeout";
            case NO_SERVER:
                return "no server: the JVM had exited";
            default:
                return "reset or closed before the answer (" + r.failure() + ")";
        }
    }

    /** The instants at which the stream would have sent after the halt, within its window. */
    static List<Long> ticksAfterTheHalt(Stream stream, long trigger, long halt) {
        long windowEnd = trigger + stream.windowNanos();
        List<Long> ticks = new ArrayList<>();
        if (windowEnd <= halt) {
            return ticks;
        }
        long first = halt < stream.startNanos() ? 0 : (halt - stream.startNanos()) / stream.periodNanos() + 1;
        for (long k = first; ticks.size() < dev.gracefulshutdown.http.HttpTraffic.MAX_REQUESTS_PER_STREAM; k++) {
            long at = stream.startNanos() + k * stream.periodNanos();
            if (at > windowEnd) {
                break;
            }
            ticks.add(at);
        }
        return ticks;
    }

    private static List<Violation> cutOff(List<Decided> decided, long trigger, long halt, ShutdownTrigger name) {
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<URI, List<Decided>> entry : byUri(decided, Outcome.CUT_OFF).entrySet()) {
            List<Decided> lost = entry.getValue();
            long inFlight = decided.stream().filter(d -> d.exchange().uri().equals(entry.getKey()) && d.exchange().inFlight()).count();
            String subject = count(lost.size()) + " to GET " + entry.getKey() + (lost.size() == 1 ? " was" : " were")
                    + " accepted and never answered"
                    + (inFlight > 0 ? " (" + inFlight + " in flight at " + name(name) + ")" : "");
            StringBuilder details = new StringBuilder();
            int listed = 0;
            for (Decided d : lost) {
                if (listed++ == LISTED) {
                    details.append("... and ").append(lost.size() - LISTED).append(" more\n");
                    break;
                }
                Exchange.Record r = d.exchange();
                details.append("request#").append(r.id()).append(": sent ").append(at(r.sentNanos(), trigger, name)).append("; ");
                if (d.seen().startsWith("still unanswered")) {
                    details.append(d.seen());
                } else if (r.seen() == Exchange.Seen.ANSWERED) {
                    details.append("answered ").append(r.status()).append(' ').append(at(r.endedNanos(), trigger, name));
                } else {
                    details.append(d.seen()).append(' ').append(at(r.endedNanos(), trigger, name));
                }
                details.append('\n');
            }
            violations.add(new Finding(Violation.Kind.REQUEST_CUT_OFF, subject, "sent from " + lost.get(0).exchange().sentFrom(),
                    details.toString(), HttpHints.CUT_OFF, Finding.About.NOTHING));
        }
        return violations;
    }

    private static List<Violation> refused(List<Decided> decided, List<Stream> streams, long trigger, long halt,
            ShutdownTrigger name) {
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<URI, List<Decided>> entry : byUri(decided, Outcome.REFUSED).entrySet()) {
            URI uri = entry.getKey();
            List<Decided> lost = entry.getValue();
            long window = streams.stream().filter(s -> s.uri().equals(uri)).mapToLong(Stream::windowNanos).max().orElse(0);
            long duringTheWindow = decided.stream().filter(d -> d.exchange().uri().equals(uri) && !d.exchange().inFlight()
                    && d.exchange().sentNanos() >= trigger).count();
            String subject = lost.size() + " of " + Math.max(duringTheWindow, lost.size()) + " requests to GET " + uri
                    + " arriving within the propagation window (" + millis(window) + " ms after " + name(name) + ") "
                    + (lost.size() == 1 ? "was" : "were") + " refused";
            StringBuilder details = new StringBuilder();
            List<Decided> inTime = lost.stream().filter(d -> d.exchange().ended()
                    && (halt == 0 || d.exchange().endedNanos() <= halt + CLIENT_DELAY_NANOS)).toList();
            List<Decided> connectRefused = of(inTime, Exchange.Seen.CONNECTION_REFUSED);
            List<Decided> broken = of(inTime, Exchange.Seen.BROKEN);
            List<Decided> answered = of(inTime, Exchange.Seen.ANSWERED);
            List<Decided> noServer = of(lost, Exchange.Seen.NO_SERVER);
            if (!connectRefused.isEmpty()) {
                details.append(connectRefused.size()).append(" connection refused (the server had stopped accepting), the first ")
                        .append(at(connectRefused.get(0).exchange().endedNanos(), trigger, name)).append('\n');
            }
            if (!broken.isEmpty()) {
                details.append(broken.size()).append(" reset or closed before the answer, the first ")
                        .append(at(broken.get(0).exchange().endedNanos(), trigger, name)).append(" (")
                        .append(broken.get(0).exchange().failure()).append(")\n");
            }
            if (!answered.isEmpty()) {
                details.append(answered.size()).append(" answered ").append(answered.get(0).exchange().status())
                        .append(", the first ").append(at(answered.get(0).exchange().endedNanos(), trigger, name)).append('\n');
            }
            List<Decided> unanswered = lost.stream().filter(d -> !d.exchange().ended() || d.exchange().endedNanos() > halt + CLIENT_DELAY_NANOS)
                    .filter(d -> d.exchange().seen() != Exchange.Seen.NO_SERVER).toList();
            if (!unanswered.isEmpty()) {
                details.append(unanswered.size()).append(" still unanswered when the JVM halted ").append(at(halt, trigger, name))
                        .append('\n');
            }
            if (!noServer.isEmpty()) {
                details.append(noServer.size()).append(" found no server: the JVM halted ").append(at(halt, trigger, name))
                        .append(", before the window closed at ").append(millis(window)).append(" ms\n");
            }
            long keptAlive = decided.stream().filter(d -> d.exchange().seen() == Exchange.Seen.ANSWERED
                    && d.exchange().endedNanos() >= trigger && !d.exchange().toldToClose()).count();
            boolean keepAliveMatters = !broken.isEmpty() && keptAlive > 0;
            if (keepAliveMatters) {
                details.append(keptAlive).append(keptAlive == 1 ? " answer" : " answers").append(" after ").append(name(name))
                        .append(" kept the connection alive (no Connection: close): clients reused it and were reset\n");
            }
            violations.add(new Finding(Violation.Kind.REQUEST_REFUSED, subject, "sent from " + lost.get(0).exchange().sentFrom(),
                    details.toString(), HttpHints.REFUSED + (keepAliveMatters ? HttpHints.KEEP_ALIVE : ""), Finding.About.NOTHING));
        }
        return violations;
    }

    private static Map<URI, List<Decided>> byUri(List<Decided> decided, Outcome outcome) {
        Map<URI, List<Decided>> byUri = new LinkedHashMap<>();
        for (Decided d : decided) {
            if (d.outcome() == outcome) {
                byUri.computeIfAbsent(d.exchange().uri(), uri -> new ArrayList<>()).add(d);
            }
        }
        return byUri;
    }

    private static List<Decided> of(List<Decided> decided, Exchange.Seen seen) {
        return decided.stream().filter(d -> d.exchange().seen() == seen).toList();
    }

    private static String count(int requests) {
        return requests == 1 ? "1 request" : requests + " requests";
    }

    /** "35 ms before SIGTERM", "12 ms after SIGTERM". */
    static String at(long nanos, long trigger, ShutdownTrigger name) {
        long ms = millis(nanos - trigger);
        return ms < 0 ? -ms + " ms before " + name(name) : ms + " ms after " + name(name);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    static String name(ShutdownTrigger trigger) {
        switch (trigger) {
            case EXIT:
                return "System.exit";
            case MAIN_RETURN:
                return "main returned";
            default:
                return "SIGTERM";
        }
    }
}
