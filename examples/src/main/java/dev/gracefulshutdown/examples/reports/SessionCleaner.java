package dev.gracefulshutdown.examples.reports;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A background loop that evicts expired sessions. Its work is expendable, so it runs on a daemon thread:
 * dying at exit is fine for it, and the kit does not blame it.
 */
public final class SessionCleaner {

    private final Map<String, Long> sessions = new ConcurrentHashMap<>();

    public SessionCleaner start(Duration every) {
        Thread loop = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.currentTimeMillis();
                sessions.values().removeIf(expiry -> expiry < now);
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "session-cleaner");
        loop.setDaemon(true);
        loop.start();
        return this;
    }
}
