package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.internal.capture.RealShutdown;

/**
 * Where a kit test's application runs and how it shuts down, decided once per test and handed to everything that
 * behaves differently (the way JUnit's {@code TimeoutExtension} picks its invocation strategy once): the extension's
 * callbacks, the test's {@link Lifetime}, Spring's listener.
 */
enum WhereItRuns {

    /** In the test JVM; its shutdown is simulated, and what it leaves running is stopped when the test ends. */
    IN_PROCESS,

    /**
     * In a child JVM the kit starts ({@code fork = true}), seen from the test JVM: nothing is captured here, the test's
     * methods are skipped here, and the child's recording is judged when it has shut down for real.
     */
    FORKED_PARENT,

    /** In that child JVM: the test's application runs here and the real JVM shuts it down when the test returns. */
    FORKED_CHILD;

    /** Decides for one test. */
    static WhereItRuns of(Configuration configuration) {
        if (thisJvmShutsDownForReal()) {
            return FORKED_CHILD;
        }
        return configuration.fork() ? FORKED_PARENT : IN_PROCESS;
    }

    /** For a test class, before any of its tests is configured: a forked child runs one test, its class has no lifetime. */
    static boolean classHasALifetime() {
        return !thisJvmShutsDownForReal();
    }

    /** Whether the test's application is captured in this JVM. */
    boolean capturesHere() {
        return this != FORKED_PARENT;
    }

    /** Whether the kit stops what the application left running when the test ends (not where the real JVM will). */
    boolean stopsLeftoversAtTheEnd() {
        return this == IN_PROCESS;
    }

    private static boolean thisJvmShutsDownForReal() {
        return RealShutdown.active();
    }
}
