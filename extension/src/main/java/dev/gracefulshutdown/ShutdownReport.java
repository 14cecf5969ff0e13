package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.report.FailureMessage;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What happened when the application under test shut down: the trigger, the verdict ({@link #violations()}),
 * the inventory of threads, executors, tasks and hooks, and how long each phase took.
 *
 * <p>Assert on it with {@link ShutdownAssertions#assertThat(ShutdownReport)}. {@link #toString()} is the
 * failure message the kit prints.
 */
public final class ShutdownReport {

    private final ShutdownTrigger trigger;
    private final Integer exitStatus;
    private final Duration gracePeriod;
    private final Duration exitTimeout;
    private final List<Violation> violations;
    private final List<CapturedThread> threads;
    private final List<CapturedExecutor> executors;
    private final List<CapturedTask> tasks;
    private final List<CapturedHook> hooks;
    private final Timings timings;
    private final ForkedJvm forkedJvm;
    private final Container container;
    private final Set<Violation.Kind> asserted = ConcurrentHashMap.newKeySet();

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
    public record ForkedJvm(Integer exitCode, boolean killed, Duration runTime, String outputTail) {
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
    public record Container(String name, int exitCode, boolean gracePeriodExceeded, Duration took, String logTail,
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

    /** Built by the kit; users receive reports from {@link ShutdownSimulator} and never build one. */
    public ShutdownReport(ShutdownTrigger trigger, Integer exitStatus, Duration gracePeriod, Duration exitTimeout,
            List<Violation> violations, List<CapturedThread> threads, List<CapturedExecutor> executors,
            List<CapturedTask> tasks, List<CapturedHook> hooks, Timings timings) {
        this(trigger, exitStatus, gracePeriod, exitTimeout, violations, threads, executors, tasks, hooks, timings, null, null);
    }

    private ShutdownReport(ShutdownTrigger trigger, Integer exitStatus, Duration gracePeriod, Duration exitTimeout,
            List<Violation> violations, List<CapturedThread> threads, List<CapturedExecutor> executors,
            List<CapturedTask> tasks, List<CapturedHook> hooks, Timings timings, ForkedJvm forkedJvm, Container container) {
        this.forkedJvm = forkedJvm;
        this.container = container;
        this.trigger = trigger;
        this.exitStatus = exitStatus;
        this.gracePeriod = gracePeriod;
        this.exitTimeout = exitTimeout;
        this.violations = List.copyOf(violations);
        this.threads = List.copyOf(threads);
        this.executors = List.copyOf(executors);
        this.tasks = List.copyOf(tasks);
        this.hooks = List.copyOf(hooks);
        this.timings = timings;
    }

    public ShutdownTrigger trigger() {
        return trigger;
    }

    /**
     * The process's exit status: 143 after {@code SIGTERM}, the status given to {@code System.exit}, 0 after
     * {@code main} returned; empty when the JVM would not exit (within the exit timeout).
     */
    public Optional<Integer> exitStatus() {
        return Optional.ofNullable(exitStatus);
    }

    /** Whether the simulated JVM reached its halt; {@code false} when a thread kept it alive forever. */
    public boolean jvmExits() {
        return exitStatus != null;
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    public Duration exitTimeout() {
        return exitTimeout;
    }

    /** Every violation, in the order the message lists them. Empty when the shutdown was clean. */
    public List<Violation> violations() {
        return violations;
    }

    /** The kinds of violation that occurred. */
    public Set<Violation.Kind> violationKinds() {
        return violations.stream().map(Violation::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Violation.Kind.class)));
    }

    public boolean isClean() {
        return violations.isEmpty();
    }

    public List<CapturedThread> threads() {
        return threads;
    }

    public List<CapturedExecutor> executors() {
        return executors;
    }

    public List<CapturedTask> tasks() {
        return tasks;
    }

    public List<CapturedHook> hooks() {
        return hooks;
    }

    public Timings timings() {
        return timings;
    }

    /** For a {@code fork = true} test: the real JVM the test ran in; empty in-process. */
    public Optional<ForkedJvm> forkedJvm() {
        return Optional.ofNullable(forkedJvm);
    }

    /** For a container check: the container and how its {@code docker stop} went; empty otherwise. */
    public Optional<Container> container() {
        return Optional.ofNullable(container);
    }

    /** This report, from a forked JVM. */
    public ShutdownReport withForkedJvm(ForkedJvm jvm) {
        return new ShutdownReport(trigger, exitStatus, gracePeriod, exitTimeout, violations, threads, executors, tasks,
                hooks, timings, jvm, container);
    }

    /** This report, from a container. */
    public ShutdownReport withContainer(Container stopped) {
        return new ShutdownReport(trigger, exitStatus, gracePeriod, exitTimeout, violations, threads, executors, tasks,
                hooks, timings, forkedJvm, stopped);
    }

    /**
     * The kinds that an assertion of {@link ShutdownAssertions} has checked. At the end of the test, a
     * violation of another kind (and not in {@link GracefulShutdownTest#expect()}) fails it.
     */
    public Set<Violation.Kind> assertedKinds() {
        return Collections.unmodifiableSet(asserted);
    }

    void markAsserted(Set<Violation.Kind> kinds) {
        asserted.addAll(kinds);
    }

    /** The full failure message: every violation with what, where and how to fix it. */
    @Override
    public String toString() {
        return FailureMessage.render(this);
    }
}
