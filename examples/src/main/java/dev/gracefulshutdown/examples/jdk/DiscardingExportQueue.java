package dev.gracefulshutdown.examples.jdk;

import static dev.gracefulshutdown.examples.jdk.Options.awaitTermination;
import static dev.gracefulshutdown.examples.jdk.Options.option;
import static dev.gracefulshutdown.examples.jdk.Options.sleep;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Exports on one worker with a queue of one, as a service that must not be overwhelmed. Three exports arrive at
 * once (700 ms each). A hook shuts the pool down and awaits it (4 s). By {@code --policy=}:
 * <ul>
 *   <li>{@code discard}: {@link ThreadPoolExecutor.DiscardPolicy}: the third export is thrown away without a word;
 *   its caller believes it was accepted.</li>
 *   <li>{@code bounded-put}: the caller waits (at most 4 s) for room in the queue; if there is none, or the pool is
 *   shut down, it gets a {@link RejectedExecutionException} and can answer "try later".</li>
 * </ul>
 * Prints {@code 3 exports submitted} once all were handed over, {@code export N written} for each one done.
 */
public final class DiscardingExportQueue {

    public static void main(String[] args) {
        String policy = option(args, "--policy=", "bounded-put");
        RejectedExecutionHandler handler = switch (policy) {
            case "discard" -> new ThreadPoolExecutor.DiscardPolicy();
            case "bounded-put" -> DiscardingExportQueue::waitForRoom;
            default -> throw new IllegalArgumentException("--policy=discard|bounded-put, not " + policy);
        };
        ThreadPoolExecutor exports = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), handler);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exports.shutdown();
            awaitTermination(exports, 4);
        }, "export-shutdown"));
        for (int id = 1; id <= 3; id++) {
            int export = id;
            exports.execute(() -> {
                System.out.println("export " + export + " started");
                sleep(700);
                System.out.println("export " + export + " written");
            });
        }
        System.out.println("3 exports submitted");
    }   // the pool's worker is not a daemon: the service runs on

    /** A bounded put: wait for room in the queue instead of dropping the export. */
    private static void waitForRoom(Runnable export, ThreadPoolExecutor exports) {
        try {
            if (exports.isShutdown() || !exports.getQueue().offer(export, 4, TimeUnit.SECONDS)) {
                throw new RejectedExecutionException("no room for the export: answer 503, the client retries");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException(e);
        }
    }
}
