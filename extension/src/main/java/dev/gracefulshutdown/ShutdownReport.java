package dev.gracefulshutdown;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What happened when the application under test shut down: the trigger, the verdict ({@link #violations()}),
 * the inventory of threads, executors, tasks and hooks, and how long each phase took.
 *
 * <p>Assert on it with {@link ShutdownAssertions#assertThat(ShutdownReport)}. The kit's reports are immutable, and
 * their {@code toString()} is the failure message the kit prints. Users receive reports (from
 * {@link ShutdownSimulator} and the container checks) and never build one: the kit's implementation is internal.
 */
public interface ShutdownReport {

    /**
     * How long each phase of the simulated shutdown took.
     *
     * @param waitingForThreads waiting for non-daemon threads after {@code main} returned ({@code MAIN_RETURN} only)
     * @param hooks running the shutdown hooks
     * @param total from the trigger to the verdict
     * @param triggeredAt when the shutdown was triggered, since the application's lifetime began (the clock of the
     *     captured moments, {@code ...AtNanos}), or {@code null} when it was not recorded
     * @param haltedAt when the JVM halted (or, when it would not exit, when the verdict was taken), on the same
     *     clock, or {@code null} when it was not recorded
     */
    public record Timings(Duration waitingForThreads, Duration hooks, Duration total, Duration triggeredAt,
            Duration haltedAt) {

        /** Timings without the moments of the trigger and the halt. */
        public Timings(Duration waitingForThreads, Duration hooks, Duration total) {
            this(waitingForThreads, hooks, total, null, null);
        }
    }

    /**
     * The real child JVM of a {@code fork = true} test.
     *
     * @param exitCode its exit code (143 after SIGTERM, 137 when it was killed); {@code null} if it never exited
     * @param killed whether the kit had to kill it ({@code SIGKILL}) past the grace period or the exit timeout
     * @param runTime from its start to its end, start-up included
     * @param outputTail the end of its standard output and error
     */
    record ForkedJvm(Integer exitCode, boolean killed, Duration runTime, String outputTail) {
    }

    /**
     * The container of a container check: how a real {@code docker stop} went ({@code ContainerShutdown.dockerStop}),
     * or how the container ended by itself, or not ({@code ContainerShutdown.awaitExit}).
     *
     * @param name the container's name and image, as the message shows it
     * @param exitCode its exit code: 143 after {@code SIGTERM}, 137 when it was killed ({@code SIGKILL}), the JVM's
     *     own status when it exited by itself
     * @param gracePeriodExceeded whether it was still running when the grace period ended, so Docker killed it
     * @param took from {@code docker stop}, or from the start of {@code awaitExit}, to the container's exit
     * @param logTail the end of its log (standard output and error)
     * @param coarseBecause why the verdict rests only on what is seen from outside (exit code, timing, kill):
     *     no agent in the container, or it recorded nothing; {@code null} when the agent recorded the application
     */
    record Container(String name, int exitCode, boolean gracePeriodExceeded, Duration took, String logTail,
            String coarseBecause) {

        /** Whether the container was killed ({@code SIGKILL}, exit code 137). */
        public boolean killed() {
            return exitCode == 137;
        }

        /**
         * Whether the verdict rests only on the exit code and the timing: tasks cut off by the halt, lingering
         * threads and failed hooks cannot be seen then.
         */
        public boolean coarse() {
            return coarseBecause != null;
        }
    }

    ShutdownTrigger trigger();

    /**
     * The process's exit status: 143 after {@code SIGTERM}, the status given to {@code System.exit}, 0 after
     * {@code main} returned; empty when the JVM would not exit (within the exit timeout).
     */
    Optional<Integer> exitStatus();

    /** Whether the simulated JVM reached its halt; {@code false} when a thread kept it alive forever. */
    default boolean jvmExits() {
        return exitStatus().isPresent();
    }

    Duration gracePeriod();

    Duration exitTimeout();

    /** Every violation, in the order the message lists them. Empty when the shutdown was clean. */
    List<Violation> violations();

    /** The kinds of violation that occurred. */
    default Set<Violation.Kind> violationKinds() {
        return violations().stream().map(Violation::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Violation.Kind.class)));
    }

    default boolean isClean() {
        return violations().isEmpty();
    }

    List<CapturedThread> threads();

    List<CapturedExecutor> executors();

    List<CapturedTask> tasks();

    List<CapturedHook> hooks();

    Timings timings();

    /** For a {@code fork = true} test: the real JVM the test ran in; empty in-process. */
    Optional<ForkedJvm> forkedJvm();

    /** For a container check: the container and how its {@code docker stop} went; empty otherwise. */
    Optional<Container> container();
}
