package dev.gracefulshutdown.spring;

import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.capture.Scope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * The kit's side of a Spring test's lifecycle, for {@code @GracefulShutdownTest} tests only.
 *
 * <ul>
 *   <li>Right before the test method (after every {@code @BeforeEach}): the test's context must be the one loaded in its application lifetime. A context
 *       loaded before (with {@code @TestInstance(PER_CLASS)}) or by a concurrently running method of the same class
 *       cannot be judged, and the test fails saying so.</li>
 *   <li>Right after the test method (the simulated shutdown has closed the context): the closed context leaves
 *       Spring's cache, replaced by an empty stand-in until Spring's after-test listeners are done, so that they
 *       neither fail on a closed context nor load a new one. It runs first of the after-test callbacks.</li>
 * </ul>
 *
 * {@link Eviction} removes the stand-in (or a context the shutdown did not close) last, as
 * {@code @DirtiesContext(AFTER_EACH_TEST_METHOD)} would: no later test gets this test's application.
 */
public final class GracefulShutdownTestExecutionListener extends AbstractTestExecutionListener {

    static final String EVICT = GracefulShutdownTestExecutionListener.class.getName() + ".evict";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void beforeTestExecution(TestContext testContext) {
        Scope scope = Capture.currentScope();
        if (scope == null || !SpringContexts.isKitTest(testContext) || !testContext.hasApplicationContext()) {
            return; // not a kit test, or the parent of a forked one
        }
        ApplicationContext context = testContext.getApplicationContext();
        if (SpringContexts.loadedIn(scope) != context) {
            throw new IllegalStateException("@GracefulShutdownTest on " + testContext.getTestClass().getName() + "."
                    + testContext.getTestMethod().getName() + ": its ApplicationContext [" + context.getDisplayName()
                    + "] was not loaded during this test's application lifetime, so the kit cannot judge the executors, "
                    + "threads and hooks it created, nor shut it down as the application. This happens with "
                    + "@TestInstance(PER_CLASS) (one context for all methods, loaded with the instance before any lifetime "
                    + "begins) and when methods of one class run concurrently (they share the class's context). Use the "
                    + "per-method lifecycle and run the methods of this class one at a time (@Execution(SAME_THREAD)).");
        }
    }

    @Override
    public void afterTestExecution(TestContext testContext) {
        if (RealShutdown.active() || !SpringContexts.isKitTest(testContext) || !testContext.hasApplicationContext()) {
            return; // in a forked JVM the application lives until the real shutdown
        }
        testContext.setAttribute(EVICT, Boolean.TRUE);
        Scope scope = Capture.currentScope();
        ConfigurableApplicationContext application = scope == null ? null : SpringContexts.loadedIn(scope);
        if (application == null || application.isActive()) {
            return; // not closed by the shutdown (MAIN_RETURN, a forked test's parent): Spring's listeners can use it
        }
        if (!SpringContexts.replaceWithStandIn(testContext, application)) {
            testContext.markApplicationContextDirty(DirtiesContext.HierarchyMode.CURRENT_LEVEL);
        }
    }

    /**
     * Evicts the test's context (or its stand-in) from Spring's cache after every other after-test listener, as
     * {@code @DirtiesContext} does. Runs last of the after-test callbacks.
     */
    public static final class Eviction extends AbstractTestExecutionListener {

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterTestMethod(TestContext testContext) {
            if (testContext.removeAttribute(EVICT) != null && testContext.hasApplicationContext()) {
                testContext.markApplicationContextDirty(DirtiesContext.HierarchyMode.CURRENT_LEVEL);
            }
        }
    }
}
