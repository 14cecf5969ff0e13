package dev.gracefulshutdown.internal.report;

import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The kit's {@link ShutdownReport}: immutable; its {@link #toString()} is the {@link FailureMessage}. Identity
 * matters (which violations a test asserted is kept per report, by identity), so it does not override
 * {@code equals}.
 */
public final class Report implements ShutdownReport {

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

    /**
     * A report on a shutdown in the test JVM or recorded in another.
     *
     * @param exitStatus the process's exit status, or {@code null} when the JVM would not exit
     */
    public Report(ShutdownTrigger trigger, Integer exitStatus, Duration gracePeriod, Duration exitTimeout,
            List<? extends Violation> violations, List<CapturedThread> threads, List<CapturedExecutor> executors,
            List<CapturedTask> tasks, List<CapturedHook> hooks, Timings timings) {
        this(trigger, exitStatus, gracePeriod, exitTimeout, violations, threads, executors, tasks, hooks, timings, null, null);
    }

    private Report(ShutdownTrigger trigger, Integer exitStatus, Duration gracePeriod, Duration exitTimeout,
            List<? extends Violation> violations, List<CapturedThread> threads, List<CapturedExecutor> executors,
            List<CapturedTask> tasks, List<CapturedHook> hooks, Timings timings, ForkedJvm forkedJvm, Container container) {
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
        this.forkedJvm = forkedJvm;
        this.container = container;
    }

    /** This report, from a forked JVM. */
    public Report withForkedJvm(ForkedJvm jvm) {
        return new Report(trigger, exitStatus, gracePeriod, exitTimeout, violations, threads, executors, tasks, hooks,
                timings, jvm, container);
    }

    /** This report, from a container. */
    public Report withContainer(Container stopped) {
        return new Report(trigger, exitStatus, gracePeriod, exitTimeout, violations, threads, executors, tasks, hooks,
                timings, forkedJvm, stopped);
    }

    /**
     * A report with what the application's clients saw added (HTTP requests cut off or refused), listed before the
     * application's own violations: one test, one verdict.
     */
    public static ShutdownReport withClientViolations(ShutdownReport report, List<? extends Violation> seenByClients) {
        if (seenByClients.isEmpty()) {
            return report;
        }
        List<Violation> all = new java.util.ArrayList<>(seenByClients);
        all.addAll(report.violations());
        return new Report(report.trigger(), report.exitStatus().orElse(null), report.gracePeriod(), report.exitTimeout(),
                all, report.threads(), report.executors(), report.tasks(), report.hooks(), report.timings(),
                report.forkedJvm().orElse(null), report.container().orElse(null));
    }

    @Override
    public ShutdownTrigger trigger() {
        return trigger;
    }

    @Override
    public Optional<Integer> exitStatus() {
        return Optional.ofNullable(exitStatus);
    }

    @Override
    public Duration gracePeriod() {
        return gracePeriod;
    }

    @Override
    public Duration exitTimeout() {
        return exitTimeout;
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }

    @Override
    public List<CapturedThread> threads() {
        return threads;
    }

    @Override
    public List<CapturedExecutor> executors() {
        return executors;
    }

    @Override
    public List<CapturedTask> tasks() {
        return tasks;
    }

    @Override
    public List<CapturedHook> hooks() {
        return hooks;
    }

    @Override
    public Timings timings() {
        return timings;
    }

    @Override
    public Optional<ForkedJvm> forkedJvm() {
        return Optional.ofNullable(forkedJvm);
    }

    @Override
    public Optional<Container> container() {
        return Optional.ofNullable(container);
    }

    /** The full failure message: every violation with what, where and how to fix it. */
    @Override
    public String toString() {
        return FailureMessage.render(this);
    }
}
