package io.micrometer.kitfixture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands for a library (its package is a known library's) batching on a worker of its own, as a metrics registry's
 * publisher does: the worker waits for a batch to fill, with only the JDK's and the library's frames on its stack, then
 * runs the user's callbacks; {@link #stop} stops it.
 */
public final class Batcher {

    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "batcher");
        thread.setDaemon(true);
        return thread;
    });

    /** The worker waits for the batch: what is handed to it afterwards waits in its queue. */
    public void waitFor(CompletableFuture<?> batch) {
        worker.execute(batch::join);
    }

    /** Queues the user's callback. */
    public void runForTheUser(Runnable callback) {
        worker.execute(callback);
    }

    /** Runs the user's callback once the batch is full, in a task of the library's that starts now. */
    public void runForTheUserWhenFull(CompletableFuture<?> batch, Runnable callback) {
        worker.execute(() -> {
            batch.join();
            callback.run();
        });
    }

    public void stop() {
        worker.shutdownNow();
    }
}
