package dev.gracefulshutdown.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.apps.BatchApp;
import dev.gracefulshutdown.apps.ReportApp;
import dev.gracefulshutdown.internal.config.Settings;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One rule for every attribute: the nearest annotation that sets it wins (method, class, enclosing class), then
 * the configuration parameter, then the kit's default. Each attribute is checked with the class setting it, the
 * method setting it, and the method setting only something else.
 */
class AnnotationMergeTest {

    @Test
    void trigger() {
        assertThat(resolve(ClassSetsAll.class, "setsNothing").settings().trigger()).isEqualTo(ShutdownTrigger.MAIN_RETURN);
        assertThat(resolve(ClassSetsAll.class, "setsAnotherAttribute").settings().trigger()).isEqualTo(ShutdownTrigger.MAIN_RETURN);
        assertThat(resolve(ClassSetsAll.class, "setsEverything").settings().trigger()).isEqualTo(ShutdownTrigger.EXIT);
        assertThat(resolve(ClassSetsNothing.class, "setsNothing").settings().trigger()).isEqualTo(ShutdownTrigger.SIGTERM);
        assertThat(resolve(ClassSetsNothing.class, "setsEverything").settings().trigger()).isEqualTo(ShutdownTrigger.EXIT);
    }

    @Test
    void gracePeriod() {
        assertThat(resolve(ClassSetsAll.class, "setsAnotherAttribute").settings().gracePeriod()).isEqualTo(Duration.ofSeconds(7));
        assertThat(resolve(ClassSetsAll.class, "setsEverything").settings().gracePeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(resolve(ClassSetsNothing.class, "setsNothing").settings().gracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(resolve(ClassSetsNothing.class, "setsNothing", GracefulShutdownTest.GRACE_PERIOD_PROPERTY, "4s").settings().gracePeriod())
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(resolve(ClassSetsAll.class, "setsNothing", GracefulShutdownTest.GRACE_PERIOD_PROPERTY, "4s").settings().gracePeriod())
                .as("the class's annotation is nearer than the configuration parameter").isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void exitTimeout() {
        assertThat(resolve(ClassSetsAll.class, "setsAnotherAttribute").settings().exitTimeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(resolve(ClassSetsAll.class, "setsEverything").settings().exitTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(resolve(ClassSetsNothing.class, "setsNothing").settings().exitTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(resolve(ClassSetsNothing.class, "setsNothing", GracefulShutdownTest.EXIT_TIMEOUT_PROPERTY, "1s").settings().exitTimeout())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void expect() {
        assertThat(resolve(ClassSetsAll.class, "setsAnotherAttribute").expect()).containsExactly(Violation.Kind.LINGERING_THREAD);
        assertThat(resolve(ClassSetsAll.class, "setsEverything").expect()).containsExactly(Violation.Kind.ABANDONED_TASK);
        assertThat(resolve(ClassSetsNothing.class, "setsNothing").expect()).isEmpty();
        assertThat(resolve(ClassSetsAll.class, "setsEverything", GracefulShutdownTest.EXPECT_IGNORED_PROPERTY, "true").expect())
                .isEmpty();
    }

    @Test
    void ignoreThreads() {
        assertThat(ignored(resolve(ClassSetsAll.class, "setsAnotherAttribute"))).contains("class-thread").doesNotContain("method-thread");
        assertThat(ignored(resolve(ClassSetsAll.class, "setsEverything"))).contains("method-thread").doesNotContain("class-thread");
        assertThat(ignored(resolve(ClassSetsNothing.class, "setsNothing", GracefulShutdownTest.IGNORE_THREADS_PROPERTY, "property-thread")))
                .contains("property-thread");
        assertThat(ignored(resolve(ClassSetsAll.class, "setsNothing", GracefulShutdownTest.IGNORE_THREADS_PROPERTY, "property-thread")))
                .as("the class's annotation is nearer than the configuration parameter")
                .contains("class-thread").doesNotContain("property-thread");
        assertThat(ignored(resolve(ClassSetsAll.class, "setsEverything"))).as("the kit's own list always applies")
                .containsAll(Settings.DEFAULT_IGNORED_THREADS);
    }

    @Test
    void fork() {
        assertThat(resolve(ForkedClass.class, "setsAnotherAttribute").fork()).isTrue();
        assertThat(resolve(ForkedClass.class, "notForked").fork()).as("a method's fork = false wins over its class's").isFalse();
        assertThat(resolve(ClassSetsNothing.class, "setsNothing").fork()).isFalse();
        assertThat(resolve(ClassSetsNothing.class, "setsNothing", GracefulShutdownTest.FORK_ALL_PROPERTY, "true").fork()).isTrue();
        assertThat(resolve(ForkedClass.class, "notForked", GracefulShutdownTest.FORK_ALL_PROPERTY, "true").fork())
                .as("an annotation's fork = false wins over the configuration parameter").isFalse();
        assertThat(resolve(ClassSetsNothing.class, "setsEverything").fork()).isTrue();
    }

    @Test
    void mainClassArgsReadyOutputAndReadyTimeout() {
        Configuration.Application inherited = resolve(ClassSetsAll.class, "setsAnotherAttribute").application();
        assertThat(inherited.mainClass()).isEqualTo(BatchApp.class);
        assertThat(inherited.args()).containsExactly("--class");
        assertThat(inherited.readyOutput()).isEqualTo("BatchApp started");
        assertThat(inherited.readyTimeout()).isEqualTo(Duration.ofSeconds(9));

        Configuration.Application own = resolve(ClassSetsAll.class, "setsEverything").application();
        assertThat(own.mainClass()).isEqualTo(ReportApp.class);
        assertThat(own.args()).containsExactly("--method");
        assertThat(own.readyOutput()).isEqualTo("ReportApp ready");
        assertThat(own.readyTimeout()).isEqualTo(Duration.ofSeconds(1));

        Configuration.Application mixed = resolve(ClassSetsAll.class, "setsOnlyArgs").application();
        assertThat(mixed.mainClass()).as("args alone do not drop the class's mainClass").isEqualTo(BatchApp.class);
        assertThat(mixed.args()).containsExactly("--only-args");
        assertThat(mixed.readyOutput()).isEqualTo("BatchApp started");

        assertThat(resolve(ClassSetsNothing.class, "setsNothing").application()).isNull();
        assertThat(resolve(ClassSetsNothing.class, "setsEverything").application().mainClass()).isEqualTo(ReportApp.class);
    }

    @Test
    void theIssuesExampleRunsTheMethodUnderMainReturnWithTheClassesMainClass() {
        Configuration configuration = resolve(ClassSetsTriggerAndMainClass.class, "setsExitTimeout");
        assertThat(configuration.settings().trigger()).isEqualTo(ShutdownTrigger.MAIN_RETURN);
        assertThat(configuration.application().mainClass()).isEqualTo(BatchApp.class);
        assertThat(configuration.settings().exitTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void enclosingClassesAndMetaAnnotationsCount() {
        Settings nested = resolve(ClassSetsAll.Inner.class, "setsGracePeriod").settings();
        assertThat(nested.gracePeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(nested.trigger()).as("from the enclosing class").isEqualTo(ShutdownTrigger.MAIN_RETURN);
        assertThat(nested.exitTimeout()).as("from the nested class").isEqualTo(Duration.ofSeconds(5));

        Settings meta = resolve(MetaAnnotated.class, "setsGracePeriod").settings();
        assertThat(meta.trigger()).as("from the meta-annotation on the class").isEqualTo(ShutdownTrigger.EXIT);
        assertThat(meta.gracePeriod()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void anArrayAttributeThatStandsForOneValueTakesOne() {
        assertThatThrownBy(() -> resolve(ClassSetsNothing.class, "twoTriggers"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@GracefulShutdownTest(trigger = {SIGTERM, EXIT}) on ClassSetsNothing.twoTriggers: `trigger` takes "
                        + "one value, but was given 2");
        assertThatThrownBy(() -> resolve(ClassSetsNothing.class, "twoForks"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@GracefulShutdownTest(fork = {true, false}) on ClassSetsNothing.twoForks: `fork` takes one value");
    }

    @Test
    void aBadInheritedValueNamesTheAnnotationItCameFrom() {
        assertThatThrownBy(() -> resolve(BadClass.class, "setsNothing"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@GracefulShutdownTest(gracePeriod = \"soon\") on BadClass: `gracePeriod` must be a duration");
    }

    // ---- fixtures (never run: only their annotations are read) ------------------------------------------------

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, gracePeriod = "7s", exitTimeout = "8s",
            expect = Violation.Kind.LINGERING_THREAD, ignoreThreads = "class-thread", fork = false, mainClass = BatchApp.class,
            args = "--class", readyOutput = "BatchApp started", readyTimeout = "9s")
    static class ClassSetsAll {
        void setsNothing() {
        }

        @GracefulShutdownTest(exitTimeout = "8s")
        void setsAnotherAttribute() {
        }

        @GracefulShutdownTest(args = "--only-args")
        void setsOnlyArgs() {
        }

        @GracefulShutdownTest(trigger = ShutdownTrigger.EXIT, gracePeriod = "3s", exitTimeout = "2s",
                expect = Violation.Kind.ABANDONED_TASK, ignoreThreads = "method-thread", fork = true, mainClass = ReportApp.class,
                args = "--method", readyOutput = "ReportApp ready", readyTimeout = "1s")
        void setsEverything() {
        }

        @Nested
        @GracefulShutdownTest(exitTimeout = "5s")
        class Inner {
            @GracefulShutdownTest(gracePeriod = "1s")
            void setsGracePeriod() {
            }
        }
    }

    @GracefulShutdownTest
    static class ClassSetsNothing {
        void setsNothing() {
        }

        @GracefulShutdownTest(trigger = ShutdownTrigger.EXIT, gracePeriod = "3s", exitTimeout = "2s",
                expect = Violation.Kind.ABANDONED_TASK, ignoreThreads = "method-thread", fork = true, mainClass = ReportApp.class,
                args = "--method", readyOutput = "ReportApp ready", readyTimeout = "1s")
        void setsEverything() {
        }

        @GracefulShutdownTest(trigger = {ShutdownTrigger.SIGTERM, ShutdownTrigger.EXIT})
        void twoTriggers() {
        }

        @GracefulShutdownTest(fork = {true, false})
        void twoForks() {
        }
    }

    @GracefulShutdownTest(fork = true)
    static class ForkedClass {
        @GracefulShutdownTest(gracePeriod = "2s")
        void setsAnotherAttribute() {
        }

        @GracefulShutdownTest(fork = false)
        void notForked() {
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, mainClass = BatchApp.class)
    static class ClassSetsTriggerAndMainClass {
        @GracefulShutdownTest(exitTimeout = "2s")
        void setsExitTimeout() {
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @GracefulShutdownTest(trigger = ShutdownTrigger.EXIT)
    @interface ExitTest {
    }

    @ExitTest
    static class MetaAnnotated {
        @GracefulShutdownTest(gracePeriod = "6s")
        void setsGracePeriod() {
        }
    }

    @GracefulShutdownTest(gracePeriod = "soon")
    static class BadClass {
        void setsNothing() {
        }
    }

    // ---- a test's context, as far as Configuration reads it ---------------------------------------------------

    private static Configuration resolve(Class<?> testClass, String method, String... parameters) {
        Map<String, String> configuration = new HashMap<>();
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            configuration.put(parameters[i], parameters[i + 1]);
        }
        Method testMethod = Arrays.stream(testClass.getDeclaredMethods()).filter(m -> m.getName().equals(method)).findFirst()
                .orElseThrow();
        ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(AnnotationMergeTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, called, args) -> {
                    switch (called.getName()) {
                        case "getTestMethod": return Optional.of(testMethod);
                        case "getTestClass": return Optional.of(testClass);
                        case "getDisplayName": return method + "()";
                        case "getConfigurationParameter":
                            Optional<String> value = Optional.ofNullable(configuration.get((String) args[0]));
                            if (args.length == 1) {
                                return value;
                            }
                            @SuppressWarnings("unchecked")
                            Function<String, Object> transformer = (Function<String, Object>) args[1];
                            return value.map(transformer);
                        default: throw new UnsupportedOperationException(called.getName());
                    }
                });
        return Configuration.resolve(context);
    }

    private static List<String> ignored(Configuration configuration) {
        return configuration.settings().ignoredThreads().stream().map(Pattern::pattern).toList();
    }

    @SuppressWarnings("unused")
    private static Set<Violation.Kind> none() {
        return Set.of();
    }
}
