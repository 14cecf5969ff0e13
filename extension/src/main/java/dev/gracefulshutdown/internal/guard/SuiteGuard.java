package dev.gracefulshutdown.internal.guard;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.report.IncompleteCaptureException;
import dev.gracefulshutdown.internal.report.ReportEntries;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The suite guard ({@code gracefulshutdown.guard.enabled=true}): every test without {@code @GracefulShutdownTest}
 * gets a capture scope of its own, from before its instance is constructed to after its last {@code @AfterEach};
 * what it started and left behind fails it. A class's {@code @BeforeAll}/{@code @AfterAll} and class-level extensions
 * get a scope of the class, judged after its last {@code @AfterAll}. Registered through JUnit's extension
 * auto-detection ({@code META-INF/services}), so it runs before and after every other extension; without the
 * property it does nothing. Tests with {@code @GracefulShutdownTest} are the kit's, with its full simulation.
 */
public final class SuiteGuard implements TestInstancePreConstructCallback, BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterAllCallback, InvocationInterceptor {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SuiteGuard.class);

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            openClass(context); // @TestInstance(PER_CLASS): the instance is the class's
        } else if (context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD) == TestInstance.Lifecycle.PER_METHOD) {
            openTest(context);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        openClass(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        openTest(context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        adoptClassScope(context);
        invocation.proceed();
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        adoptClassScope(context);
        invocation.proceed();
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        Scope scope = scopeOf(context);
        if (scope != null) {
            scope.adoptMainThread(Thread.currentThread()); // @Timeout(threadMode = SEPARATE_THREAD) runs it elsewhere
        }
        invocation.proceed();
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        interceptTestMethod(invocation, invocationContext, context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        judgeWhatItOpened(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        judgeWhatItOpened(context);
    }

    private static void judgeWhatItOpened(ExtensionContext context) {
        Opened opened = OPENED.remove(context);
        if (opened != null) {
            judge(context, opened);
        }
    }

    /**
     * The scope a context opened, with what judging it needs, found by that context in one map lookup (contexts compare
     * by identity) rather than in JUnit's stores, whose lookups hash a composite key and fall back to the enclosing
     * contexts' stores. The record is also kept in the context's own store, which JUnit
     * closes when the context ends: a scope that was never judged (the test's instance could not be made, so no
     * {@code afterEach}) is then stopped and closed, rather than left open, capturing, for the rest of the suite.
     */
    private record Opened(ExtensionContext owner, Scope scope, GuardRun run, String uniqueId) implements AutoCloseable {
        @Override
        public void close() {
            if (OPENED.remove(owner, this)) {
                Inspection.stop(scope); // its test already failed: nothing to judge, only to clean up
            }
        }
    }

    private static final java.util.Map<ExtensionContext, Opened> OPENED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Scope scopeOf(ExtensionContext context) {
        Opened opened = OPENED.get(context);
        return opened == null ? null : opened.scope();
    }

    // ---- opening ---------------------------------------------------------------------------------------------

    /** This engine execution's guard, or {@code null} when it is off; the configuration is read once per execution. */
    private static GuardRun run(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        Object known = root.get(GuardRun.class);
        if (known != null) {
            return known instanceof GuardRun run ? run : null;
        }
        if (!context.getConfigurationParameter(GuardRun.ENABLED, Boolean::parseBoolean).orElse(false)) {
            root.put(GuardRun.class, Off.OFF);
            return null;
        }
        return root.getOrComputeIfAbsent(GuardRun.class, k -> GuardRun.of(context), GuardRun.class);
    }

    /** The guard is off in this engine execution. */
    private enum Off {
        OFF
    }

    private static void openTest(ExtensionContext context) {
        if (scopeOf(context) != null || annotated(context)) {
            return;
        }
        open(context);
    }

    private static void openClass(ExtensionContext context) {
        if (context.getTestMethod().isPresent() || scopeOf(context) != null || annotated(context)) {
            return;
        }
        open(context);
    }

    private static void open(ExtensionContext context) {
        GuardRun run = run(context);
        if (run == null) {
            return;
        }
        long started;
        try {
            dev.gracefulshutdown.internal.capture.AgentInstaller.ensureInstalled(); // once per JVM: not the guard's cost per test
            started = System.nanoTime();
            String uniqueId = context.getUniqueId(); // formatted anew at every call: once per test
            Opened opened = new Opened(context, Capture.open(uniqueId, Thread.currentThread()), run, uniqueId);
            OPENED.put(context, opened);
            context.getStore(NAMESPACE).put(Opened.class, opened);
        } catch (IllegalStateException cannotInstall) {
            throw new ExtensionConfigurationException(cannotInstall.getMessage(), cannotInstall);
        }
        run.addCost(System.nanoTime() - started);
    }

    /** The test, or its class, is the kit's: {@code @GracefulShutdownTest} on it, its class or an enclosing class. */
    private static boolean annotated(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent() && ANNOTATED_METHODS.get(method.get().getDeclaringClass()).computeIfAbsent(method.get(),
                m -> AnnotationSupport.isAnnotated(m, GracefulShutdownTest.class))) {
            return true;
        }
        Class<?> type = context.getTestClass().orElse(null);
        return type != null && ANNOTATED_CLASSES.get(type);
    }

    /**
     * Annotation lookups walk meta-annotations: done once per method and class, not once per test, and kept with the
     * class (a {@link ClassValue}), so that nothing holds a test class's loader.
     */
    private static final ClassValue<java.util.Map<Method, Boolean>> ANNOTATED_METHODS = new ClassValue<>() {
        @Override
        protected java.util.Map<Method, Boolean> computeValue(Class<?> type) {
            return new java.util.concurrent.ConcurrentHashMap<>();
        }
    };
    private static final ClassValue<Boolean> ANNOTATED_CLASSES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
                if (AnnotationSupport.isAnnotated(c, GracefulShutdownTest.class)) {
                    return true;
                }
            }
            return false;
        }
    };

    /** The class's scope sees what its {@code @BeforeAll}/{@code @AfterAll} methods create, on whatever thread. */
    private static void adoptClassScope(ExtensionContext context) {
        Scope scope = scopeOf(context);
        if (scope != null && scope.phase() == Scope.Phase.RUNNING) {
            scope.adoptMainThread(Thread.currentThread());
        }
    }

    /** After a scope closes, the thread is again its enclosing class's main (if it was), so that class's code is seen. */
    private static void restoreEnclosing(ExtensionContext context) {
        for (Optional<ExtensionContext> parent = context.getParent(); parent.isPresent(); parent = parent.get().getParent()) {
            Scope enclosing = scopeOf(parent.get());
            if (enclosing != null && enclosing.phase() == Scope.Phase.RUNNING) {
                if (enclosing.isMainThread(Thread.currentThread())) {
                    enclosing.adoptMainThread(Thread.currentThread());
                }
                return;
            }
        }
    }

    // ---- judging ---------------------------------------------------------------------------------------------

    private static void judge(ExtensionContext context, Opened opened) {
        GuardRun run = opened.run();
        Scope scope = opened.scope();
        long started = System.nanoTime();
        String test = TestIds.of(opened.uniqueId());
        List<Leak> failing;
        Throwable captureFailure;
        try {
            List<Leak> leaks = Inspection.leaks(scope, test);
            captureFailure = scope.captureFailure(); // after the look: a failure while work settled counts too
            List<String> leftovers = Inspection.stop(scope);
            if (!leftovers.isEmpty()) {
                context.publishReportEntry(ReportEntries.LEFTOVERS, ReportEntries.leftovers("the guard's", leftovers));
            }
            failing = run.record(test, leaks, 0);
        } finally {
            Capture.close(scope);
            restoreEnclosing(context);
            run.addCost(System.nanoTime() - started);
        }
        AssertionError leaked = failing.isEmpty() ? null : new AssertionError(GuardMessage.render(test,
                context.getTestMethod().isEmpty(), failing, run.baselinedOf(test), run.baseline));
        if (captureFailure != null) {
            // a kit failure never passes as a clean test: what the guard did not see may have leaked
            IncompleteCaptureException incomplete = new IncompleteCaptureException("the graceful-shutdown guard", test,
                    String.valueOf(captureFailure), captureFailure);
            if (leaked != null) {
                incomplete.addSuppressed(leaked);
            }
            throw incomplete;
        }
        if (leaked != null) {
            throw leaked;
        }
    }
}
