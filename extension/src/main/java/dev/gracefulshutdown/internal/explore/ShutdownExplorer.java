package dev.gracefulshutdown.internal.explore;

import dev.gracefulshutdown.ExploreShutdown;
import dev.gracefulshutdown.ShutdownSimulator;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.junit.GracefulShutdownExtension;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.junit.Configuration;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * {@link ExploreShutdown}'s runs: validates its attributes and the test's settings before anything runs, then hands
 * JUnit the runs one at a time ({@link Exploration}).
 */
public final class ShutdownExplorer implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(method -> AnnotationSupport.isAnnotated(method, ExploreShutdown.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        String on = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        ExploreShutdown annotation = AnnotationSupport.findAnnotation(method, ExploreShutdown.class).orElseThrow();
        Options options = Options.of(annotation, on);
        Configuration configuration = GracefulShutdownExtension.configurationOf(context);
        Settings settings = configuration.settings();
        if (configuration.fork()) {
            throw new ExtensionConfigurationException("@ExploreShutdown with @GracefulShutdownTest(fork = true) on " + on
                    + ": exploration runs in-process only (the kit delivers each SIGTERM inside the application, at its "
                    + "point); set fork = false on this test");
        }
        if (settings.trigger() != ShutdownTrigger.SIGTERM) {
            throw new ExtensionConfigurationException("@ExploreShutdown with @GracefulShutdownTest(trigger = "
                    + settings.trigger() + ") on " + on + ": exploration delivers SIGTERM at each point; leave `trigger` "
                    + "unset (SIGTERM)");
        }
        if (!configuration.expect().isEmpty() && !options.replays()) {
            throw new ExtensionConfigurationException("@ExploreShutdown with @GracefulShutdownTest(expect = "
                    + configuration.expect() + ") on " + on + ": `expect` describes one run, and exploration makes many; "
                    + "pin the failing run with @ExploreShutdown(replay = ...) and expect its violations there");
        }
        if (Arrays.stream(method.getParameterTypes()).anyMatch(ShutdownSimulator.class::equals)) {
            throw new ExtensionConfigurationException("@ExploreShutdown on " + on + ": a test that takes a ShutdownSimulator "
                    + "triggers its own shutdown, and exploration triggers it at each point; use @Test for it");
        }
        return new Exploration(options, on, context).runs();
    }
}
