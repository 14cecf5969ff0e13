package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownSimulator;
import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.capture.SimulatedHalt;
import dev.gracefulshutdown.internal.simulate.Settings;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The JUnit glue of {@code @GracefulShutdownTest}: opens a capture scope before the first
 * {@code @BeforeEach}, simulates the shutdown when the test method returns (unless the test or the code under
 * test already did), turns the report into the test's verdict, and cleans up after {@code @AfterEach}.
 */
public final class GracefulShutdownExtension
        implements BeforeEachCallback, InvocationInterceptor, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GracefulShutdownExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Settings settings = Configuration.resolve(context);
        Scope scope;
        try {
            scope = Capture.open(context.getUniqueId(), Thread.currentThread());
        } catch (IllegalStateException cannotInstall) {
            throw new ExtensionConfigurationException(cannotInstall.getMessage(), cannotInstall);
        }
        context.getStore(NAMESPACE).put(Lifetime.class, new Lifetime(scope, new Simulation(scope, settings), settings));
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        Lifetime lifetime = lifetime(context);
        lifetime.scope.adoptMainThread(Thread.currentThread());
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (SimulatedHalt haltedHere) {
            // the test method itself called System.exit or Runtime.halt: the report is ready
        } catch (Throwable thrown) {
            boolean haltedUnderIt = lifetime.simulation.hasShutDown() && lifetime.simulation.triggeredByAnotherThread();
            failure = haltedUnderIt ? null : thrown; // the JVM halted while main was running: main died with it
        }
        ShutdownReport report;
        try {
            report = lifetime.simulation.reportOrTrigger(lifetime.settings.trigger());
        } catch (RuntimeException simulationFailed) {
            if (failure != null) {
                failure.addSuppressed(simulationFailed);
                throw failure;
            }
            throw simulationFailed;
        }
        context.publishReportEntry("gracefulshutdown.report", report.toString());
        AssertionError verdict = Verdict.of(report, lifetime.settings.expect());
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

    @Override
    public void afterEach(ExtensionContext context) {
        Lifetime lifetime = context.getStore(NAMESPACE).remove(Lifetime.class, Lifetime.class);
        if (lifetime == null) {
            return;
        }
        List<String> leftovers = lifetime.stop();
        if (!leftovers.isEmpty()) {
            context.publishReportEntry("gracefulshutdown.leftovers", "still running after the test's cleanup "
                    + "(they did not stop when interrupted; nothing they do is attributed to a later test): " + String.join(", ", leftovers));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ShutdownSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return lifetime(extensionContext).simulation;
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
