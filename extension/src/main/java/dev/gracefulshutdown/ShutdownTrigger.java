package dev.gracefulshutdown;

/**
 * What starts the simulated shutdown of the application under test.
 *
 * <p>The three triggers follow {@code java.lang.Shutdown}: a signal and {@code System.exit} both run the
 * shutdown hooks and then halt; the end of {@code main} first waits for every non-daemon thread.
 */
public enum ShutdownTrigger {

    /**
     * {@code SIGTERM}, as sent by {@code docker stop}, Kubernetes or {@code kill}: the JVM runs its shutdown
     * hooks, waits for them (bounded by the grace period, after which an orchestrator sends {@code SIGKILL}),
     * then halts. Every thread still running at the halt stops where it is. The exit status is 143.
     */
    SIGTERM,

    /**
     * {@code System.exit(status)} or {@code Runtime.exit(status)}: the same sequence as {@link #SIGTERM}, with
     * the given status. Code under test that calls {@code System.exit} triggers this; it never exits the test JVM.
     */
    EXIT,

    /**
     * The end of {@code main}: the JVM's {@code DestroyJavaVM} thread waits until no non-daemon thread is
     * alive, then runs the hooks and halts. A non-daemon thread that never ends keeps the JVM alive forever.
     */
    MAIN_RETURN
}
