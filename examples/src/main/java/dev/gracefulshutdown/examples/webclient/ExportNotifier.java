package dev.gracefulshutdown.examples.webclient;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Tells a subscriber's webhook that an export was written, with Spring's {@code WebClient} (on Reactor Netty), without
 * making the export wait for the answer: the call is subscribed and the export goes on. Reactor Netty's threads are
 * daemons, and a {@code WebClient} has no {@code close()}: nothing in the JVM's shutdown waits for a request in flight.
 * By {@link Shutdown}:
 * <ul>
 *   <li>{@code NONE}: sent and forgotten. At {@code SIGTERM} the JVM runs no hook of ours and halts: a notification in
 *   flight never reaches the webhook's answer, and the subscriber never learns the export exists.</li>
 *   <li>{@code AWAIT_IN_FLIGHT}: the notifier keeps each notification in flight, and a hook waits for them, bounded
 *   below the grace period.</li>
 * </ul>
 */
public final class ExportNotifier {

    public enum Shutdown { NONE, AWAIT_IN_FLIGHT }

    private final WebClient webhook;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

    private ExportNotifier(WebClient webhook) {
        this.webhook = webhook;
    }

    /** A notifier of the webhook at {@code baseUrl}; with {@code AWAIT_IN_FLIGHT}, a hook that waits at most {@code await}. */
    public static ExportNotifier start(String baseUrl, Shutdown shutdown, Duration await) {
        ExportNotifier notifier = new ExportNotifier(WebClient.create(baseUrl));
        if (shutdown == Shutdown.AWAIT_IN_FLIGHT) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> notifier.awaitInFlight(await), "export-notifier-shutdown"));
        }
        return notifier;
    }

    /** {@code POST /exports/written}: sent now, answered later; the caller does not wait. */
    public void exportWritten(String export) {
        CompletableFuture<Void> sent = webhook.post().uri("/exports/written").bodyValue(export)
                .retrieve().toBodilessEntity().then().toFuture();
        inFlight.add(sent);
        sent.whenComplete((answered, failure) -> {
            inFlight.remove(sent);
            if (failure != null) {
                System.out.println("notification of " + export + " failed: " + failure);
            }
        });
    }

    /** Waits until every notification in flight has its answer, at most {@code await}. */
    void awaitInFlight(Duration await) {
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(await.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.out.println("notifications still in flight after " + await.toSeconds() + " s: " + e);
        }
    }
}
