package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownSimulator;
import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.fork.ForkedRun;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.capture.SimulatedHalt;
import dev.gracefulshutdown.internal.report.IncompleteCaptureException;
import dev.gracefulshutdown.internal.report.ReportEntries;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * The JUnit glue of {@code @GracefulShutdownTest}: opens a capture scope before the test instance is constructed
 * (per-method lifecycle; with {@code @TestInstance(PER_CLASS)} before the first {@code @BeforeEach}), simulates the shutdown when the test method returns (unless the test or the code under
 * test already did), turns the report into the test's verdict, and cleans up after {@code @AfterEach}.
 */
public final class GracefulShutdownExtension implements BeforeAllCallback, TestInstancePreConstructCallback, BeforeEachCallback,
        InvocationInterceptor, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GracefulShutdownExtension.class);
    private static final String CLASS_LIFETIME = "the class's lifetime";

    /**
     * The class's own lifetime, around its tests': what {@code @BeforeAll}, {@code @AfterAll} and class-level
     * extensions start belongs to it, and what it still runs when the class ends is reported (not in a forked child,
     * where the class runs for one test).
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (!WhereItRuns.classHasALifetime()) {
            return;
        }
        try {
            context.getStore(NAMESPACE).put(CLASS_LIFETIME, Capture.open(context.getUniqueId(), Thread.currentThread()));
        } catch (IllegalStateException cannotInstall) {
            throw new ExtensionConfigurationException(cannotInstall.getMessage(), cannotInstall);
        }
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        adoptClassLifetime(context);
        invocation.proceed();
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        if (!WhereItRuns.classHasALifetime()) {
            invocation.skip(); // a forked child: the test's cleanup is no part of the application's real shutdown
            return;
        }
        adoptClassLifetime(context);
        invocation.proceed();
    }

    private static void adoptClassLifetime(ExtensionContext context) {
        Scope scope = context.getStore(NAMESPACE).get(CLASS_LIFETIME, Scope.class);
        if (scope != null) {
            scope.adoptMainThread(Thread.currentThread());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Scope scope = context.getStore(NAMESPACE).remove(CLASS_LIFETIME, Scope.class);
        if (scope != null) {
            String left = dev.gracefulshutdown.internal.guard.ClassLeftovers.inspectAndStop(scope,
                    context.getRequiredTestClass().getName());
            if (left != null) {
                context.publishReportEntry(ReportEntries.CLASS, left);
            }
        }
    }

    /** The test method's context at instantiation: its lifetime lives in the method's store. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    /**
     * Per-method lifecycle: the application's lifetime begins before the test instance is constructed, so what its
     * field initialisers and constructor create (and what a framework's instance post-processing creates, such as
     * a Spring ApplicationContext) belongs to the test. With {@code @TestInstance(PER_CLASS)} one instance serves
     * every method: what it creates is shared, and the lifetime opens at {@code beforeEach}.
     */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()
                || context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD) == TestInstance.Lifecycle.PER_CLASS) {
            return;
        }
        open(context); // a @Nested class constructs its enclosing instances first: opened once
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        open(context);
    }

    private static void open(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(Configuration.class, Configuration.class) != null) {
            return; // already opened before the instance was constructed
        }
        Configuration configuration = configurationOf(context);
        WhereItRuns where = WhereItRuns.of(configuration);
        context.getStore(NAMESPACE).put(Configuration.class, configuration);
        context.getStore(NAMESPACE).put(WhereItRuns.class, where);
        context.getStore(NAMESPACE).put(Timelines.Options.class, Timelines.resolve(context));
        if (!where.capturesHere()) {
            return; // the parent of a forked test captures nothing: the child does
        }
        Scope scope;
        try {
            scope = Capture.open(context.getUniqueId(), Thread.currentThread());
        } catch (IllegalStateException cannotInstall) {
            throw new ExtensionConfigurationException(cannotInstall.getMessage(), cannotInstall);
        }
        if (where == WhereItRuns.FORKED_CHILD) {
            RealShutdown.adopt(scope);
        } else {
            scope.noteSharedThreads(); // a library's JVM-wide pool an earlier test created may work for this one
        }
        context.getStore(NAMESPACE).put(Lifetime.class, new Lifetime(scope,
                new Simulation(scope, configuration.settings()), configuration, where));
    }

    /**
     * The test's configuration, resolved once per test method and run: every invocation of a {@code @RepeatedTest} or
     * {@code @ParameterizedTest} has the same annotations and configuration parameters. A configuration error is not
     * kept: each invocation fails with it.
     */
    public static Configuration configurationOf(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return Configuration.resolve(context);
        }
        ConfigurationKey key = new ConfigurationKey(context.getRequiredTestClass(), context.getRequiredTestMethod());
        ExtensionContext.Store run = context.getRoot().getStore(NAMESPACE);
        Configuration known = run.get(key, Configuration.class);
        if (known == null) {
            known = Configuration.resolve(context);
            run.put(key, known);
        }
        return known;
    }

    private record ConfigurationKey(Class<?> testClass, Method method) {
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        proceedUnlessForkedParent(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        if (where(context) == WhereItRuns.FORKED_CHILD) {
            invocation.skip(); // the real JVM shuts down when the method returns: in it, the test's cleanup never runs
            return;
        }
        proceedUnlessForkedParent(invocation, context);
    }

    private static void proceedUnlessForkedParent(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        if (where(context) == WhereItRuns.FORKED_PARENT) {
            invocation.skip(); // they run in the child JVM, with the test
        } else {
            invocation.proceed();
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        switch (where(context)) {
            case FORKED_CHILD:
                lifetime(context).scope.adoptMainThread(Thread.currentThread());
                startApplication(lifetime(context));
                invocation.proceed();
                dev.gracefulshutdown.internal.fork.ForkedMain.testMethodReturned(); // SIGTERM or exit: the real JVM shuts down now
                return;
            case FORKED_PARENT:
                invocation.skip();
                Configuration configuration = context.getStore(NAMESPACE).get(Configuration.class, Configuration.class);
                ShutdownReport report = ForkedRun.run(context.getUniqueId(), test(context), configuration.settings());
                AssertionError verdict = Verdict.of(report, configuration.expect());
                verdict = Timelines.pointingTo(verdict, publish(context, report, verdict != null));
                if (verdict != null) {
                    throw verdict;
                }
                return;
            default:
                interceptInProcess(invocation, context);
        }
    }

    /** {@code @GracefulShutdownTest(mainClass = ...)}: the application runs before the test method does. */
    private static void startApplication(Lifetime lifetime) {
        Configuration.Application application = lifetime.configuration.application();
        if (application == null) {
            return;
        }
        dev.gracefulshutdown.RunningApplication running = lifetime.simulation.start(application.mainClass(),
                application.args().toArray(new String[0]));
        if (!application.readyOutput().isEmpty()) {
            running.awaitOutput(application.readyOutput(), application.readyTimeout());
        }
    }

    /**
     * The report, and its violation kinds alone (for tools that compare runs); and the shutdown timeline, written by
     * default when the test fails.
     *
     * @return the timeline page, or {@code null} when none was written
     */
    private static java.nio.file.Path publish(ExtensionContext context, ShutdownReport report, boolean failing) {
        context.publishReportEntry(ReportEntries.of(report));
        String uncaught = report.threads().stream()
                .filter(thread -> thread.diedWith() != null && !thread.diedDuringShutdown())
                .map(thread -> "\"" + thread.name() + "\" died with " + thread.diedWith() + " while the test ran")
                .collect(java.util.stream.Collectors.joining("; "));
        if (!uncaught.isEmpty()) { // shown, not failed: the test may exercise its own failure paths
            context.publishReportEntry(ReportEntries.UNCAUGHT, uncaught);
        }
        return Timelines.write(context, context.getStore(NAMESPACE).get(Timelines.Options.class, Timelines.Options.class),
                report, failing);
    }

    /** Each invocation of a {@code @RepeatedTest} or {@code @ParameterizedTest} is an application lifetime too. */
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        interceptTestMethod(invocation, invocationContext, context);
    }

    /**
     * A {@code @TestFactory}'s dynamic tests are steps of one application lifetime, as JUnit runs them: no
     * {@code @BeforeEach} or {@code @AfterEach} between them. The application ends after the last one (when JUnit
     * closes the factory's stream), and the verdict fails the factory. A forked JVM runs one test method, which a
     * factory's dynamic tests are not: asked to fork, the factory is a configuration error.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        if (where(context) != WhereItRuns.IN_PROCESS) {
            invocation.skip();
            throw new ExtensionConfigurationException("@TestFactory " + test(context) + "() cannot run in a forked JVM "
                    + "(fork = true, or the configuration parameter " + dev.gracefulshutdown.GracefulShutdownTest.FORK_ALL_PROPERTY
                    + "=true): a forked JVM runs one test method and its real shutdown, and a factory's dynamic tests are "
                    + "made as it runs. Write the cases as a @ParameterizedTest, or set fork = false on this class.");
        }
        Lifetime lifetime = lifetime(context);
        lifetime.scope.adoptMainThread(Thread.currentThread());
        startApplication(lifetime);
        T nodes = invocation.proceed();
        return (T) DynamicNodes.closingWith(nodes, () -> {
            try {
                judge(lifetime, context, null);
            } catch (RuntimeException | Error verdict) {
                throw verdict;
            } catch (Throwable unexpected) {
                throw new IllegalStateException(unexpected);
            }
        });
    }

    /** A dynamic test that halts the simulated JVM ({@code System.exit}) ends there; the factory's verdict says it. */
    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, org.junit.jupiter.api.extension.DynamicTestInvocationContext
            invocationContext, ExtensionContext context) throws Throwable {
        try {
            invocation.proceed();
        } catch (SimulatedHalt haltedHere) {
            // the report is ready; the factory's verdict comes when its last dynamic test has run
        }
    }

    /** Where this test's application runs, as decided when its lifetime opened (in process before that). */
    private static WhereItRuns where(ExtensionContext context) {
        WhereItRuns where = context.getStore(NAMESPACE).get(WhereItRuns.class, WhereItRuns.class);
        return where == null ? WhereItRuns.IN_PROCESS : where;
    }

    private void interceptInProcess(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Lifetime lifetime = lifetime(context);
        lifetime.scope.adoptMainThread(Thread.currentThread());
        Throwable failure = null;
        try {
            startApplication(lifetime);
            invocation.proceed();
        } catch (SimulatedHalt haltedHere) {
            // the test method itself called System.exit or Runtime.halt: the report is ready
        } catch (Throwable thrown) {
            boolean haltedUnderIt = lifetime.simulation.hasShutDown() && lifetime.simulation.triggeredByAnotherThread();
            failure = haltedUnderIt ? null : thrown; // the JVM halted while main was running: main died with it
        }
        judge(lifetime, context, failure);
    }

    /** The application's end (main returns, or the configured trigger), its report and verdict; the test's own failure first. */
    private static void judge(Lifetime lifetime, ExtensionContext context, Throwable failure) throws Throwable {
        ShutdownReport report;
        try {
            report = lifetime.simulation.reportOrTrigger(lifetime.configuration.settings().trigger());
        } catch (RuntimeException simulationFailed) {
            throw firstOf(failure, new IncompleteCaptureException(test(context), "the simulated shutdown failed: "
                    + simulationFailed, simulationFailed));
        }
        AssertionError verdict = Verdict.of(report, lifetime.configuration.expect());
        IncompleteCaptureException incomplete = Verdict.incomplete(test(context), lifetime.scope.captureFailure());
        verdict = Timelines.pointingTo(verdict, publish(context, report, verdict != null || incomplete != null || failure != null));
        if (incomplete != null) {
            if (verdict != null) {
                incomplete.addSuppressed(verdict);
            }
            throw firstOf(failure, incomplete);
        }
        if (failure != null) {
            if (verdict != null) {
                failure.addSuppressed(verdict);
            }
            throw failure;
        }
        if (verdict != null) {
            throw verdict;
        }
    }

    /** The test's own failure comes first; the kit's is attached to it. */
    private static Throwable firstOf(Throwable testFailure, Throwable kitFailure) {
        if (testFailure == null) {
            return kitFailure;
        }
        testFailure.addSuppressed(kitFailure);
        return testFailure;
    }

    private static String test(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
                .orElse(context.getDisplayName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!where(context).stopsLeftoversAtTheEnd()) {
            return; // a forked child's application keeps running until the real JVM shuts down
        }
        Lifetime lifetime = context.getStore(NAMESPACE).remove(Lifetime.class, Lifetime.class);
        if (lifetime == null) {
            return;
        }
        List<String> leftovers = lifetime.stop();
        if (!leftovers.isEmpty()) {
            context.publishReportEntry(ReportEntries.LEFTOVERS, ReportEntries.leftovers("the test's", leftovers));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == ShutdownSimulator.class || type == dev.gracefulshutdown.http.HttpTraffic.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (parameterContext.getParameter().getType() == dev.gracefulshutdown.http.HttpTraffic.class) {
            return httpTraffic(extensionContext);
        }
        if (where(extensionContext) != WhereItRuns.IN_PROCESS) {
            throw new ExtensionConfigurationException("@GracefulShutdownTest(fork = true) on "
                    + extensionContext.getDisplayName() + ": a ShutdownSimulator cannot be used in a forked test, the real "
                    + "JVM shuts down once, when the test method returns; choose the shutdown with `trigger`");
        }
        return lifetime(extensionContext).simulation;
    }

    /**
     * The test's HTTP traffic: one driver per test, its verdict part of the test's one report, closed with the test. In
     * a forked test the child hands the traffic to the parent, which sends it and judges it against the real shutdown.
     */
    private static Object httpTraffic(ExtensionContext context) {
        switch (where(context)) {
            case FORKED_PARENT:
                return dev.gracefulshutdown.internal.http.ForkedTraffic.notHere(); // the child runs the method
            case FORKED_CHILD:
                Scope scope = lifetime(context).scope;
                return context.getStore(NAMESPACE).getOrComputeIfAbsent(dev.gracefulshutdown.http.HttpTraffic.class,
                        key -> dev.gracefulshutdown.internal.http.ForkedTraffic.child(scope,
                                java.nio.file.Path.of(System.getProperty(RealShutdown.DIRECTORY_PROPERTY))));
            default:
                Lifetime lifetime = lifetime(context);
                return context.getStore(NAMESPACE).getOrComputeIfAbsent(dev.gracefulshutdown.internal.http.TrafficDriver.class,
                        key -> dev.gracefulshutdown.internal.http.TrafficDriver.start(lifetime.scope, lifetime.simulation,
                                lifetime.configuration.settings().gracePeriod()), dev.gracefulshutdown.internal.http.TrafficDriver.class);
        }
    }

    /** The simulated JVM of this test's application (exploration drives it), or {@code null} where none is open here. */
    public static Simulation simulationOf(ExtensionContext context) {
        Lifetime lifetime = context.getStore(NAMESPACE).get(Lifetime.class, Lifetime.class);
        return lifetime == null ? null : lifetime.simulation;
    }

    private static Lifetime lifetime(ExtensionContext context) {
        Lifetime lifetime = context.getStore(NAMESPACE).get(Lifetime.class, Lifetime.class);
        if (lifetime == null) {
            throw new ExtensionConfigurationException("@GracefulShutdownTest: no application lifetime is open for "
                    + context.getDisplayName() + "; ShutdownSimulator is available in test methods only");
        }
        return lifetime;
    }
}
