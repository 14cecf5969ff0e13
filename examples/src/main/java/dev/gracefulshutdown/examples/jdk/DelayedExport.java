package dev.gracefulshutdown.examples.jdk;

import static dev.gracefulshutdown.examples.jdk.Options.awaitTermination;
import static dev.gracefulshutdown.examples.jdk.Options.option;
import static dev.gracefulshutdown.examples.jdk.Options.sleep;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An export that is retried later: {@code CompletableFuture.runAsync(write, delayedExecutor(2 s, exports))}. Until
 * the delay is over the work is not in the {@code exports} pool at all but in {@code CompletableFuture}'s own
 * daemon delay scheduler. At {@code SIGTERM}, by {@code --shutdown=}:
 * <ul>
 *   <li>{@code pool-only}: a hook shuts the pool down and awaits it, which looks graceful: the pool is empty, so it
 *   terminates at once, and the delayed export never runs.</li>
 *   <li>{@code await-pending}: the hook first waits for the pending exports (bounded), then shuts the pool down.</li>
 * </ul>
 * Prints {@code export scheduled} once the export waits for its delay and {@code export written} when it is done.
 */
public final class DelayedExport {

    private final ExecutorService exports = Executors.newFixedThreadPool(2);
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) throws InterruptedException {
        String shutdown = option(args, "--shutdown=", "await-pending");
        DelayedExport service = new DelayedExport();
        switch (shutdown) {
            case "pool-only" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.shutdownPool();
                service.stopped.countDown();
            }, "export-shutdown"));
            case "await-pending" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.awaitPending(4);
                service.shutdownPool();
                service.stopped.countDown();
            }, "export-shutdown"));
            default -> throw new IllegalArgumentException("--shutdown=pool-only|await-pending, not " + shutdown);
        }
        service.exportLater("q3", 2);
        System.out.println("export scheduled");
        service.stopped.await(); // serves until the hook has stopped it
    }

    void exportLater(String quarter, long delaySeconds) {
        CompletableFuture<Void> export = CompletableFuture.runAsync(() -> write(quarter),
                CompletableFuture.delayedExecutor(delaySeconds, TimeUnit.SECONDS, exports));
        pending.add(export);
        export.whenComplete((done, failure) -> pending.remove(export));
    }

    void awaitPending(long seconds) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("exports still pending: " + e);
        }
    }

    void shutdownPool() {
        exports.shutdown();
        awaitTermination(exports, 4);
    }

    private static void write(String quarter) {
        System.out.println("export " + quarter + " started");
        sleep(500);
        System.out.println("export written");
    }
}
