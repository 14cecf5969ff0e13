package dev.gracefulshutdown.internal.explore;

import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.junit.GracefulShutdownExtension;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.opentest4j.TestAbortedException;

/**
 * One run of an explored test: the plain test that records the points, the signal after one point, or the hooks in
 * one order. Inside the kit's own interception (the application's lifetime is open, the test thread is its
 * {@code main}), it listens for the points while the method runs and delivers the signal at its point. Its failure
 * names the run and the line that replays it.
 */
final class ExploredRun implements TestTemplateInvocationContext, InvocationInterceptor, TestExecutionExceptionHandler,
        TestWatcher, AfterEachCallback {

    enum Kind { RECORD, POINT, ORDER }

    final Kind kind;
    /** The point's key ({@code POINT}), or {@code null}. */
    final String target;
    /** The hook order ({@code ORDER}, or a replayed point with an order), or {@code null}. */
    final List<Integer> order;
    private final String displayName;
    private final Exploration exploration;
    private final boolean replayed;

    private volatile PointLog log;
    private volatile Boolean passed;

    ExploredRun(Kind kind, String target, List<Integer> order, String displayName, Exploration exploration, boolean replayed) {
        this.kind = kind;
        this.target = target;
        this.order = order;
        this.displayName = displayName;
        this.exploration = exploration;
        this.replayed = replayed;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
        return displayName;
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(this);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        Simulation simulation = GracefulShutdownExtension.simulationOf(context);
        if (simulation == null) { // not in process: the explorer refused that before any run
            invocation.proceed();
            return;
        }
        Scope scope = simulation.scope();
        if (order != null) {
            simulation.runHooksOneAfterAnother(order);
        }
        Signal signal = target == null ? null : new Signal(simulation, Thread.currentThread());
        PointLog points = new PointLog(scope.registeredHooks().size(), target, signal == null ? () -> { } : signal::deliver);
        log = points;
        scope.listenForPoints(points);
        try {
            invocation.proceed();
        } finally {
            if (signal != null) {
                signal.mainReturned();
                signal.cancel();
            }
            if (kind == Kind.RECORD) {
                exploration.recorded(points.reached(), scope.registeredHooks().stream()
                        .map(hook -> hook.thread().getName()).toList());
            }
        }
    }

    /** The kit's verdict (or the test's failure), with the run it belongs to and how to replay it. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        String about = exploration.describeFailure(this);
        if (!(failure instanceof AssertionError)) {
            failure.addSuppressed(new ExplorationNote(about));
            throw failure;
        }
        AssertionError named = new AssertionError(displayName + ": " + failure.getMessage() + "\n\n" + about);
        named.setStackTrace(failure.getStackTrace());
        for (Throwable suppressed : failure.getSuppressed()) {
            named.addSuppressed(suppressed);
        }
        throw named;
    }

    /** A point the run never reached: the application took another path this time (or replay names a point it lacks). */
    @Override
    public void afterEach(ExtensionContext context) {
        PointLog points = log;
        if (target == null || points == null || points.fired() != null) {
            return;
        }
        String reached = points.reached().stream().map(Point::key).toList().toString();
        if (replayed) {
            throw new AssertionError("@ExploreShutdown(replay = \"after " + target + "\"): this run never reached " + target
                    + ", so SIGTERM came when the method returned; the points it reached: " + reached);
        }
        throw new TestAbortedException("this run never reached " + target + " (the application took another path), so "
                + "SIGTERM came when the method returned; the points it reached: " + reached);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        passed = Boolean.TRUE;
        exploration.finished(this);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        passed = Boolean.FALSE;
        exploration.finished(this);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        exploration.finished(this);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        exploration.finished(this);
    }

    /** {@code true} passed, {@code false} failed, {@code null} did not run to a verdict (yet). */
    Boolean passed() {
        return passed;
    }

    boolean replayed() {
        return replayed;
    }

    String displayName() {
        return displayName;
    }

    /** What a failure of the test's own (not the kit's verdict) carries about the run. */
    static final class ExplorationNote extends RuntimeException {
        ExplorationNote(String message) {
            super(message, null, false, false);
        }
    }
}
