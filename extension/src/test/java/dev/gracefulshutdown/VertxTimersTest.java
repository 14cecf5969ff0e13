package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Vert.x runs on Netty's event loops: a timer set on the loop (in a handler, in {@code runOnContext}) goes straight
 * into the loop's queue of scheduled tasks. The user's timer still waiting at the halt never fires; Vert.x's own timers
 * (a connection's idle timeout) are Vert.x's business.
 */
class VertxTimersTest {

    @Test
    void theUsersTimerSetOnTheLoopIsDroppedAtTheHaltAndVertxsOwnAreNot() {
        Events events = Fixtures.tests(VertxTestCases.class);

        assertThat(Fixtures.failureMessage(events, "timerSetOnTheLoopStillWaitingAtSigterm"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.VertxTimersTest$VertxTestCases, inside "
                        + "io.vertx.core.impl.VertxImpl$InternalTimerHandler")
                .contains("was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.VertxTimersTest$VertxTestCases.lambda$timerSetOnTheLoopStillWaitingAtSigterm$");
        assertThat(Fixtures.failureMessage(events, "timerSetFromAnotherThreadStillWaitingWhenAHookClosesVertx"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.VertxTimersTest$VertxTestCases, inside "
                        + "io.vertx.core.impl.VertxImpl$InternalTimerHandler")
                .contains("was thrown away by the shutdown of Netty's");
        Fixtures.assertPassed(events, "timerCancelledBeforeSigterm", "idleTimeoutOfAnOpenConnectionAtSigterm",
                "idleTimeoutOfAnOpenConnectionClosedInAHook");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class VertxTestCases {
        @Test
        void timerSetOnTheLoopStillWaitingAtSigterm() throws InterruptedException {
            Vertx vertx = Vertx.vertx();
            Fixtures.Reached set = new Fixtures.Reached();
            vertx.runOnContext(v -> {
                vertx.setTimer(60_000, id -> System.out.println("send the daily report"));
                set.signal();
            });
            set.await(VertxTimersTest.class);
        }

        @Test
        void timerSetFromAnotherThreadStillWaitingWhenAHookClosesVertx() {
            Vertx vertx = Vertx.vertx();
            vertx.setTimer(3_600_000, id -> System.out.println("send the daily report"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
        }

        @Test
        void timerCancelledBeforeSigterm() throws InterruptedException {
            Vertx vertx = Vertx.vertx();
            Fixtures.Reached cancelled = new Fixtures.Reached();
            vertx.runOnContext(v -> {
                vertx.cancelTimer(vertx.setTimer(60_000, id -> System.out.println("never needed")));
                cancelled.signal();
            });
            cancelled.await(VertxTimersTest.class);
        }

        @Test
        void idleTimeoutOfAnOpenConnectionAtSigterm() throws Exception {
            serverWithAnOpenConnection();
        }

        @Test
        void idleTimeoutOfAnOpenConnectionClosedInAHook() throws Exception {
            Vertx vertx = serverWithAnOpenConnection();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
        }

        private static Vertx serverWithAnOpenConnection() throws Exception {
            Vertx vertx = Vertx.vertx();
            int port = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(60)).requestHandler(request -> request.response().end("ok"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString()); // its connection stays open, idle, in the client's pool
            assertThat(response.body()).isEqualTo("ok");
            return vertx;
        }
    }
}
