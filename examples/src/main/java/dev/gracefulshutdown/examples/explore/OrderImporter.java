package dev.gracefulshutdown.examples.explore;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Imports an order file in two steps, each on its own pool: parsing, then writing (the parser hands the parsed file to
 * the writers). Its shutdown hook stops both pools. Whether a file survives a {@code SIGTERM} depends on the moment the
 * signal comes and on the order the hook stops the pools in.
 */
public final class OrderImporter {

    /** How the shutdown hook stops the two pools. */
    public enum Stopping {
        /** Both pools at once, then waits for both: the writers refuse what the parsers still hand on. */
        BOTH_POOLS_AT_ONCE,
        /** The parsers first (refusing new files under the same lock that takes them), then the writers, as work flows. */
        IN_THE_ORDER_WORK_FLOWS
    }

    private final ExecutorService parsers = Executors.newFixedThreadPool(1);
    private final ExecutorService writers = Executors.newFixedThreadPool(1);
    private final CountDownLatch written = new CountDownLatch(1);
    private final Stopping stopping;
    private final Duration parseTime;
    private boolean stopped;

    public OrderImporter(Stopping stopping, Duration parseTime) {
        this.stopping = stopping;
        this.parseTime = parseTime;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "order-importer-stop"));
    }

    /** Takes a file to import; {@code false} when the importer is stopping and took nothing. */
    public synchronized boolean importFile(String name) {
        if (stopped) {
            return false;
        }
        parsers.execute(() -> {
            String parsed = parse(name);
            try {
                writers.execute(() -> write(parsed));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                System.err.println("the writer is stopped: " + name + " is not imported"); // logged, and lost
            }
        });
        return true;
    }

    /** Waits for the file to be written, up to the timeout. */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        return written.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String parse(String name) {
        try {
            Thread.sleep(parseTime.toMillis()); // the parsing itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return name.toUpperCase();
    }

    private void write(String parsed) {
        written.countDown();
    }

    private void stop() {
        try {
            if (stopping == Stopping.IN_THE_ORDER_WORK_FLOWS) {
                synchronized (this) {
                    stopped = true;
                    parsers.shutdown();
                }
                parsers.awaitTermination(10, TimeUnit.SECONDS); // every parsed file is handed on by now
                writers.shutdown();
                writers.awaitTermination(10, TimeUnit.SECONDS);
            } else {
                parsers.shutdown();
                writers.shutdown();
                parsers.awaitTermination(10, TimeUnit.SECONDS);
                writers.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
