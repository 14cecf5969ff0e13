package dev.gracefulshutdown.spring;

import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.capture.Scope;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives each {@code @GracefulShutdownTest} class an ApplicationContext of its own: its customizer is equal only to
 * itself, so the context cache key is unique and no other test class ever shares the context (nor hands the kit
 * one loaded outside the test). The kit evicts the context after each kit test, so each test method loads a
 * fresh one, inside its application lifetime. There the customizer registers the context's shutdown hook, as
 * {@code ConfigurableApplicationContext.registerShutdownHook()} does in production: the kit captures it as the
 * application's hook, and the simulated {@code SIGTERM} runs it.
 *
 * <p>Registered in {@code META-INF/spring.factories}; classes without {@code @GracefulShutdownTest} get nothing.
 */
public final class GracefulShutdownContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        if (!SpringContexts.isKitClass(testClass)) {
            return null;
        }
        Capture.asTheTestJvm(() -> SpringContexts.installBootShutdownHookOutsideAnyTest(testClass.getClassLoader()));
        return new ApplicationOfOneTest(testClass);
    }

    /** Equal only to itself: the context of a kit test class is never the cached context of another class. */
    static final class ApplicationOfOneTest implements ContextCustomizer {

        private final String testClass;

        ApplicationOfOneTest(Class<?> testClass) {
            this.testClass = testClass.getName();
        }

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
            Scope scope = Capture.currentScope();
            if (scope == null || scope.phase() != Scope.Phase.RUNNING) {
                return; // loaded outside a lifetime (a forked test's parent, PER_CLASS): nothing to shut down
            }
            SpringContexts.loaded(scope, context);
            // the hook the production application has; captured as this application's (installed for real in a forked JVM)
            context.registerShutdownHook();
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "graceful-shutdown-junit: the application of " + testClass + (RealShutdown.active() ? " (forked JVM)" : "");
        }
    }
}
