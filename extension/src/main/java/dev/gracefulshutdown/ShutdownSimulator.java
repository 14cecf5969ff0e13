package dev.gracefulshutdown;

/**
 * Lets a test trigger the simulated shutdown itself, in the middle of the test method, and look at the
 * outcome. Declare a parameter of this type in a test method of a {@link GracefulShutdownTest} class.
 *
 * <pre>{@code
 * @Test
 * void inFlightReportSurvivesSigterm(ShutdownSimulator jvm) throws Exception {
 *     service.submit(report);
 *     started.await();
 *     ShutdownReport report = jvm.sigterm();
 *     ShutdownAssertions.assertThat(report).isClean();
 * }
 * }</pre>
 *
 * <p>Each method runs the whole sequence (hooks, grace period, halt) and returns once the simulated JVM has
 * halted; the application is then gone, and a second trigger throws {@link IllegalStateException}. The
 * violations of the returned report still decide the test at its end: each must be asserted through
 * {@link ShutdownAssertions} or listed in {@link GracefulShutdownTest#expect()}, so that a forgotten
 * assertion never lets a violation pass silently.
 */
public interface ShutdownSimulator {

    /** Simulates {@code SIGTERM}: hooks, then halt. */
    ShutdownReport sigterm();

    /** Simulates {@code System.exit(status)}: hooks, then halt. */
    ShutdownReport exit(int status);

    /**
     * Simulates the end of {@code main}: waits for the application's non-daemon threads (bounded by the exit
     * timeout, and not at all for a thread that provably never ends), then hooks, then halt. The calling
     * thread plays the {@code main} thread and is not waited for.
     */
    ShutdownReport mainReturn();

    /**
     * Starts the application from its main class: {@code mainClass.main(args)} runs on a non-daemon thread of
     * its own, as the JVM's {@code main} would, and everything it creates belongs to this test. Wait for it
     * to be ready with {@link RunningApplication#awaitOutput} or {@link RunningApplication#awaitReady},
     * then trigger the shutdown.
     */
    RunningApplication start(Class<?> mainClass, String... args);

    /** Whether the simulated JVM has already shut down. */
    boolean hasShutDown();
}
