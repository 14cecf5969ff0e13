package dev.gracefulshutdown.examples.reports;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Story 1: a web back end builds reports in the background on a pool of four worker threads that it creates
 * itself. Whether a report in flight survives the application's shutdown depends on {@link #shutdown()}
 * being called, and on what it does.
 */
public final class ReportService {

    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration renderTime;

    public ReportService(Duration renderTime) {
        this.renderTime = renderTime;
    }

    public Future<String> submit(String quarter) {
        return workers.submit(() -> render(quarter));
    }

    /** Reports being rendered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Stops accepting reports and waits for those already accepted, within the given time. */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        workers.shutdown();
        return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String render(String quarter) throws InterruptedException {
        inFlight.incrementAndGet();
        try {
            Thread.sleep(renderTime.toMillis()); // stands for the slow query and PDF rendering
            return "report " + quarter;
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
