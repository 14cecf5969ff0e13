package dev.gracefulshutdown.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.http.HttpTraffic.Outcome;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The judge alone: what each request saw, against the trigger (at 1 s) and the halt. */
class TrafficJudgeTest {

    private static final URI EXPORT = URI.create("http://127.0.0.1:8080/export");
    private static final URI PING = URI.create("http://127.0.0.1:8080/ping");
    private static final long TRIGGER = ms(1_000);

    @Test
    void aFiveHundredDuringTheShutdownCutsOffARequestInFlightAndRefusesOneArriving() {
        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(
                answered(1, EXPORT, true, 900, 1_050, 503, false),
                answered(2, PING, false, 1_020, 1_030, 503, false)),
                List.of(stream(PING, 500)), TRIGGER, ms(1_600), ShutdownTrigger.SIGTERM);

        assertThat(judged.requests()).extracting(r -> r.outcome()).containsExactly(Outcome.CUT_OFF, Outcome.REFUSED);
        assertThat(judged.violations()).extracting(Violation::kind)
                .containsExactly(Violation.Kind.REQUEST_CUT_OFF, Violation.Kind.REQUEST_REFUSED);
        assertThat(judged.violations().get(0).details()).contains("request#1: sent 100 ms before SIGTERM; answered 503 50 ms after SIGTERM");
        assertThat(judged.violations().get(1).details()).contains("1 answered 503, the first 30 ms after SIGTERM");
    }

    @Test
    void anArrivingRequestSentAsTheShutdownBeganBelongsToTheWindowNotToTheWorkInFlight() {
        // the stream's first request leaves as the test method returns: 2 ms before the trigger, reset 18 ms after it
        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(broken(1, PING, 998, 1_018)),
                List.of(stream(PING, 500)), TRIGGER, ms(1_035), ShutdownTrigger.SIGTERM);

        assertThat(judged.requests()).extracting(r -> r.outcome()).containsExactly(Outcome.REFUSED);
        assertThat(judged.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.REQUEST_REFUSED);

        // one sent well before the trigger and reset after it was accepted work, cut off
        TrafficJudge.Judged earlier = TrafficJudge.judge(List.of(broken(1, PING, 900, 1_018)),
                List.of(stream(PING, 500)), TRIGGER, ms(1_035), ShutdownTrigger.SIGTERM);
        assertThat(earlier.requests()).extracting(r -> r.outcome()).containsExactly(Outcome.CUT_OFF);
    }

    @Test
    void whatFailedBeforeTheShutdownIsTheApplicationsOwnBusiness() {
        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(
                answered(1, PING, false, 100, 120, 500, false),
                answered(2, PING, false, 200, 220, 200, false)),
                List.of(stream(PING, 500)), TRIGGER, ms(1_600), ShutdownTrigger.SIGTERM);

        assertThat(judged.requests()).extracting(r -> r.outcome())
                .containsExactly(Outcome.FAILED_BEFORE_SHUTDOWN, Outcome.COMPLETED);
        assertThat(judged.violations()).isEmpty();
    }

    @Test
    void aStreamWhoseJvmHaltedBeforeItsWindowClosedFindsNoServerForTheRest() {
        // every 100 ms from 0.95 s; the window closes at 1.5 s; the JVM halted at 1.2 s: 1.25, 1.35, 1.45 find no server
        TrafficJudge.Stream stream = new TrafficJudge.Stream(PING, ms(950), ms(100), ms(500), "Test.method(Test.java:1)");
        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(
                answered(1, PING, false, 950, 960, 200, false),
                answered(2, PING, false, 1_050, 1_060, 200, false),
                answered(3, PING, false, 1_150, 1_160, 200, false)),
                List.of(stream), TRIGGER, ms(1_200), ShutdownTrigger.SIGTERM);

        assertThat(judged.requests()).filteredOn(r -> r.outcome() == Outcome.REFUSED).hasSize(3)
                .allSatisfy(r -> assertThat(r.seen()).isEqualTo("no server: the JVM had exited"));
        assertThat(judged.violations()).singleElement().satisfies(v -> {
            assertThat(v.subject()).isEqualTo("3 of 5 requests to GET " + PING
                    + " arriving within the propagation window (500 ms after SIGTERM) were refused");
            assertThat(v.details()).contains("3 found no server: the JVM halted 200 ms after SIGTERM, before the window closed at 500 ms");
            assertThat(v.where()).isEqualTo("sent from Test.method(Test.java:1)");
        });
    }

    @Test
    void resetsAfterAnswersThatKeptTheConnectionAliveAddTheKeepAliveFix() {
        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(
                answered(1, PING, false, 1_010, 1_015, 200, false),
                broken(2, PING, 1_100, 1_101)),
                List.of(stream(PING, 500)), TRIGGER, ms(1_600), ShutdownTrigger.SIGTERM);

        assertThat(judged.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(Violation.Kind.REQUEST_REFUSED);
            assertThat(v.details()).contains("1 reset or closed before the answer, the first 101 ms after SIGTERM")
                    .contains("1 answer after SIGTERM kept the connection alive (no Connection: close)");
            assertThat(v.hint()).endsWith(HttpHints.KEEP_ALIVE);
        });

        TrafficJudge.Judged toldToClose = TrafficJudge.judge(List.of(
                answered(1, PING, false, 1_010, 1_015, 200, true),
                broken(2, PING, 1_100, 1_101)),
                List.of(stream(PING, 500)), TRIGGER, ms(1_600), ShutdownTrigger.SIGTERM);
        assertThat(toldToClose.violations().get(0).hint()).isEqualTo(HttpHints.REFUSED);
    }

    @Test
    void aJvmThatNeverExitsLeavesUnansweredRequestsPending() {
        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(sentOnly(1, EXPORT, 900)), List.of(), TRIGGER, 0,
                ShutdownTrigger.MAIN_RETURN);

        assertThat(judged.requests()).extracting(r -> r.outcome()).containsExactly(Outcome.PENDING);
        assertThat(judged.violations()).isEmpty();
    }

    @Test
    void anAnswerTheClientNotedJustAfterTheHaltLeftTheServerBeforeIt() {
        long halt = ms(1_300);
        long justAfter = halt + TrafficJudge.CLIENT_DELAY_NANOS / 2;
        Exchange.Record record = new Exchange.Record(1, EXPORT, true, ms(900), justAfter, Exchange.Seen.ANSWERED, 200,
                false, "", "Test.method(Test.java:1)");

        TrafficJudge.Judged judged = TrafficJudge.judge(List.of(record), List.of(), TRIGGER, halt, ShutdownTrigger.SIGTERM);

        assertThat(judged.violations()).isEmpty();
    }

    private static TrafficJudge.Stream stream(URI uri, long windowMillis) {
        return new TrafficJudge.Stream(uri, ms(0), ms(1_000), ms(windowMillis), "Test.method(Test.java:1)");
    }

    private static Exchange.Record answered(int id, URI uri, boolean inFlight, long sent, long ended, int status, boolean close) {
        return new Exchange.Record(id, uri, inFlight, ms(sent), ms(ended), Exchange.Seen.ANSWERED, status, close, "",
                "Test.method(Test.java:1)");
    }

    private static Exchange.Record broken(int id, URI uri, long sent, long ended) {
        return new Exchange.Record(id, uri, false, ms(sent), ms(ended), Exchange.Seen.BROKEN, 0, false,
                "java.io.IOException: connection reset", "Test.method(Test.java:1)");
    }

    private static Exchange.Record sentOnly(int id, URI uri, long sent) {
        return new Exchange.Record(id, uri, true, ms(sent), 0, null, 0, false, "", "Test.method(Test.java:1)");
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
