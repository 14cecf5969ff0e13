package io.micrometer.kitfixture;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for a library's JVM-wide shutdown registry (Log4j's, set up when {@code LogManager} is first used): its class
 * registers one shutdown hook for the whole JVM while it is initialised, and later users add their callbacks to it.
 * Once the hook has run, the registry refuses new callbacks, as Log4j's does.
 */
public final class LoggingRegistry {

    /** How many times the JVM-wide hook ran. */
    public static final AtomicInteger HOOK_RUNS = new AtomicInteger();
    private static volatile boolean stopped;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            HOOK_RUNS.incrementAndGet();
            stopped = true;
        }, "logging-registry-shutdown"));
    }

    private LoggingRegistry() {
    }

    /** Registers a callback for the JVM's shutdown; fails once the registry's hook has run. */
    public static void addCallback() {
        if (stopped) {
            throw new IllegalStateException("Cannot add new shutdown callback: the registry is stopped");
        }
    }
}
