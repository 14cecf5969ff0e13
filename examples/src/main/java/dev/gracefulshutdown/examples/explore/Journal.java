package dev.gracefulshutdown.examples.explore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An append-only journal: records are buffered in memory, {@link #flush()} writes them on the journal's writer thread,
 * {@link #close()} stops that thread. Flushing must come before closing; two shutdown hooks, one for each, leave that to
 * the order the JVM happens to run them in.
 */
public final class Journal {

    private final ExecutorService writer = Executors.newFixedThreadPool(1);
    private final List<String> buffer = new ArrayList<>();
    private final List<String> written = new ArrayList<>();
    private final Duration drain;

    /** @param drain how long closing first lets appends in flight finish */
    public Journal(Duration drain) {
        this.drain = drain;
    }

    public synchronized void append(String record) {
        buffer.add(record);
    }

    /** Writes the buffered records and waits until they are written. */
    public void flush() throws Exception {
        List<String> records;
        synchronized (this) {
            records = List.copyOf(buffer);
            buffer.clear();
        }
        writer.submit(() -> {
            synchronized (written) {
                written.addAll(records);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Lets appends in flight finish, then stops the writer. */
    public void close() throws InterruptedException {
        Thread.sleep(drain.toMillis());
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** The shutdown hook of the broken setup: one hook per step. */
    public Thread flushHook() {
        return new Thread(() -> unchecked(this::flush), "journal-flush");
    }

    /** The other hook of the broken setup. */
    public Thread closeHook() {
        return new Thread(() -> unchecked(this::close), "journal-close");
    }

    /** The fix: one hook that does both steps, in their order. */
    public Thread flushThenCloseHook() {
        return new Thread(() -> {
            unchecked(this::flush);
            unchecked(this::close);
        }, "journal-flush-then-close");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void unchecked(Step step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
