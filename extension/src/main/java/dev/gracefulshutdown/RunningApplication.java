package dev.gracefulshutdown;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * An application started from its {@code main} class by {@link ShutdownSimulator#start(Class, String...)} or
 * {@link GracefulShutdownTest#mainClass()}: its {@code main} runs on a thread of its own, like the JVM's
 * {@code main}, and the test waits until it is ready before it triggers the shutdown.
 */
public interface RunningApplication {

    /**
     * Waits until {@code text} appears in what the application wrote to {@code System.out} or
     * {@code System.err} (a log line such as {@code "Started"}).
     *
     * @throws AssertionError if it does not within {@code timeout}, or if {@code main} threw first
     */
    RunningApplication awaitOutput(String text, Duration timeout);

    /**
     * Waits until {@code ready} holds.
     *
     * @throws AssertionError if it does not within {@code timeout}, or if {@code main} threw first
     */
    RunningApplication awaitReady(BooleanSupplier ready, Duration timeout);

    /** What the application has written to {@code System.out} and {@code System.err} so far. */
    String output();

    /** Whether its {@code main} method has returned (or thrown). */
    boolean mainReturned();
}
