package dev.gracefulshutdown.internal.capture;

/**
 * Unwinds a thread that called {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt} in code under
 * test, once the simulated JVM has halted. In a real JVM that call never returns; here the test JVM keeps
 * running, so the calling thread is released with this error. It is an {@link Error} so that
 * {@code catch (Exception e)} in the code under test does not swallow it, and the kit keeps it from being
 * printed as an uncaught exception.
 */
public final class SimulatedHalt extends Error {

    private static final long serialVersionUID = 1L;

    SimulatedHalt(String message) {
        super(message);
    }
}
