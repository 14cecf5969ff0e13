package dev.gracefulshutdown.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.webclient.ExportNotifier;
import dev.gracefulshutdown.examples.webclient.ExportNotifier.Shutdown;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spring's {@code WebClient} 7.0 on Reactor Netty 1.3 ({@link ExportNotifier}): a notification of a written export is
 * in flight when {@code SIGTERM} arrives; the webhook (a test server, MockWebServer) answers 1.5 s after it got it.
 */
@GracefulShutdownTest(gracePeriod = "10s")
class WebClientShutdownTest {

    private static final Duration ANSWER = Duration.ofMillis(1500);

    private final MockWebServer webhook = new MockWebServer();

    /*
     * Without expect, this test fails with:
     *
     * 1) ABANDONED_TASK: task HTTP exchange POST http://localhost:32859/exports/written (task#2) on Reactor Netty's
     *    HttpClient was still in flight when the JVM halted: its response, and what the application chained on its
     *    future, never came
     *      sent at dev.gracefulshutdown.examples.webclient.ExportNotifier.exportWritten(ExportNotifier.java:47)
     *        via reactor.netty.http.client.HttpClientConnect$MonoHttpConnect.subscribe(HttpClientConnect.java:216)
     *      fix: in the shutdown path, wait (within the grace period) for the requests still in flight: keep their
     *      futures and join them with a timeout in a hook or the framework's stop callback, or stop sending before the
     *      shutdown begins
     *
     * The forked JVM (a real SIGTERM, ExamplesAgreementTest) says the same.
     */
    @Test
    @GracefulShutdownTest(expect = Violation.Kind.ABANDONED_TASK)
    void aNotificationSentAndForgottenDiesAtTheHalt() throws Exception {
        ExportNotifier notifier = ExportNotifier.start(webhookAnsweringAfter(ANSWER), Shutdown.NONE, Duration.ZERO);
        notifier.exportWritten("q3");
        assertThat(webhook.takeRequest(10, TimeUnit.SECONDS)).as("the webhook got the notification").isNotNull();
    }   // SIGTERM: no hook waits for the answer

    /** A hook waits for the notifications in flight (at most 5 s, below the grace period): the answer comes. Clean. */
    @Test
    void aHookThatAwaitsTheNotificationsInFlightLosesNone() throws Exception {
        ExportNotifier notifier = ExportNotifier.start(webhookAnsweringAfter(ANSWER), Shutdown.AWAIT_IN_FLIGHT,
                Duration.ofSeconds(5));
        notifier.exportWritten("q3");
        assertThat(webhook.takeRequest(10, TimeUnit.SECONDS)).as("the webhook got the notification").isNotNull();
    }

    @AfterEach
    void stopTheWebhook() {
        webhook.close();
    }

    private String webhookAnsweringAfter(Duration delay) throws IOException {
        webhook.enqueue(new MockResponse.Builder().code(204).headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).build());
        webhook.start();
        return webhook.url("/").toString();
    }
}
