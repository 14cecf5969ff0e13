package dev.gracefulshutdown.internal.simulate;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownSimulator;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.Uninterruptibly;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.internal.report.ExitCodes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The simulated JVM of one test: triggered by the test ({@link ShutdownSimulator}), by code under test
 * ({@code System.exit}, {@code Runtime.halt}) or by the kit when the test method returns. It shuts down once.
 */
public final class Simulation implements ShutdownSimulator, Scope.ExitHandler {

    private static final Duration SLACK = Duration.ofSeconds(5);

    private final Scope scope;
    private final Settings settings;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ShutdownReport report;
    private volatile RuntimeException failure;
    private volatile Thread triggeredBy;
    private final java.util.List<Witness> witnesses = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Watches the shutdown from outside the application, as its clients do (HTTP traffic), and adds what they saw
     * to the report once the simulated JVM has halted.
     */
    public interface Witness {
        /** What the clients saw, judged against the report of the halted JVM; empty when they lost nothing. */
        java.util.List<dev.gracefulshutdown.Violation> verdict(ShutdownReport report);
    }
    /** Positions (1-based, in registration order) to start the hooks in, one after another; {@code null}: all at once. */
    private volatile java.util.List<Integer> hookOrder;

    public Simulation(Scope scope, Settings settings) {
        this.scope = scope;
        this.settings = settings;
        scope.onExit(this);
    }

    @Override
    public ShutdownReport sigterm() {
        return trigger(ShutdownTrigger.SIGTERM, ExitCodes.SIGTERM);
    }

    @Override
    public ShutdownReport exit(int status) {
        return trigger(ShutdownTrigger.EXIT, status);
    }

    @Override
    public ShutdownReport mainReturn() {
        return trigger(ShutdownTrigger.MAIN_RETURN, 0);
    }

    @Override
    public dev.gracefulshutdown.RunningApplication start(Class<?> mainClass, String... args) {
        if (scope.phase() != Scope.Phase.RUNNING) {
            throw new IllegalStateException("The simulated JVM has already shut down; start the application before the trigger");
        }
        return MainApplication.start(scope, mainClass, args);
    }

    /** Adds a witness; its verdict joins the report of the one shutdown. */
    public void witness(Witness witness) {
        witnesses.add(witness);
    }

    @Override
    public boolean hasShutDown() {
        return scope.phase() != Scope.Phase.RUNNING;
    }

    /** Code under test called {@code System.exit}: this thread runs the shutdown, like the JVM's. */
    @Override
    public void exitCalled(int status) {
        if (scope.beginShutdown()) {
            run(() -> sequence().run(ShutdownTrigger.EXIT, status));
        } else {
            awaitReport(); // a second exit blocks until the halt, as on Shutdown.class's lock
        }
    }

    /** Code under test called {@code Runtime.halt}: no hooks. */
    @Override
    public void haltCalled(int status) {
        if (scope.beginShutdown()) {
            run(() -> sequence().haltNow(status));
        } else {
            scope.halt(); // a halt during the hooks ends them at once
            awaitReport();
        }
    }

    /** The report once the simulated JVM has shut down, triggering it with {@code trigger} if nothing did. */
    public ShutdownReport reportOrTrigger(ShutdownTrigger trigger) {
        if (scope.beginShutdown()) {
            return run(() -> sequence().run(trigger, statusOf(trigger)));
        }
        return awaitReport();
    }

    /** The application this simulated JVM runs. */
    public Scope scope() {
        return scope;
    }

    /**
     * Exploration: start the hooks one after another in this order (positions in registration order, from 1), each
     * once the one before it has ended, instead of all at once as the JVM does. Hooks not listed start last.
     */
    public void runHooksOneAfterAnother(java.util.List<Integer> order) {
        this.hookOrder = java.util.List.copyOf(order);
    }

    private ShutdownSequence sequence() {
        return new ShutdownSequence(scope, settings, hookOrder);
    }

    /** Whether the shutdown was triggered by a thread other than the test's own (e.g. a worker calling exit). */
    public boolean triggeredByAnotherThread() {
        Thread thread = triggeredBy;
        return thread != null && !scope.isMainThread(thread);
    }

    private ShutdownReport trigger(ShutdownTrigger trigger, int status) {
        if (!scope.beginShutdown()) {
            throw new IllegalStateException("The simulated JVM has already shut down (" + describe() + "); "
                    + "a test can trigger the shutdown only once");
        }
        return run(() -> sequence().run(trigger, status));
    }

    private String describe() {
        ShutdownReport done = report;
        return done == null ? "shutdown in progress" : "by " + done.trigger();
    }

    private ShutdownReport run(java.util.function.Supplier<ShutdownReport> sequence) {
        triggeredBy = Thread.currentThread();
        try {
            report = withWitnesses(sequence.get());
            return report;
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
            scope.halt();
            throw e;
        } finally {
            finished.countDown();
        }
    }

    private ShutdownReport withWitnesses(ShutdownReport judged) {
        java.util.List<dev.gracefulshutdown.Violation> seen = new java.util.ArrayList<>();
        for (Witness witness : witnesses) {
            try {
                seen.addAll(witness.verdict(judged));
            } catch (RuntimeException failed) {
                scope.captureFailed(failed); // the verdict is then incomplete, never clean
            }
        }
        return dev.gracefulshutdown.internal.report.Report.withClientViolations(judged, seen);
    }

    private ShutdownReport awaitReport() {
        Duration bound = settings.gracePeriod().plus(settings.exitTimeout()).plus(SLACK);
        if (!Uninterruptibly.await(finished, bound.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("The simulated shutdown did not finish within " + Durations.format(bound));
        }
        if (failure != null) {
            throw failure;
        }
        return report;
    }

    private static int statusOf(ShutdownTrigger trigger) {
        return trigger == ShutdownTrigger.SIGTERM ? ExitCodes.SIGTERM : 0;
    }
}
