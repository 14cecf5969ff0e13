package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.libraries.NamedLibraries;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's configuration: the {@link Settings} its shutdown is run and judged with, and what only the JUnit glue
 * uses.
 *
 * <p>Resolved by {@link #resolve}, each attribute on its own: the nearest annotation that sets it (the method's,
 * the class's, the enclosing classes'; see {@link Declarations}), else its {@code junit-platform.properties}
 * parameter, else the kit's default. Every value is
 * validated before anything runs; a bad one fails that test with {@link ExtensionConfigurationException}
 * naming the attribute and the value.
 */
public record Configuration(Settings settings, Set<Violation.Kind> expect, boolean fork, Application application) {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /**
     * @param settings what the shutdown is run and judged with
     * @param expect the violation kinds a regression test expects (empty: a clean shutdown)
     * @param fork whether the test runs in a forked JVM that really shuts down
     * @param application the application to start from its main class before the test method, or {@code null}
     */
    public Configuration {
        expect = Set.copyOf(expect);
    }

    /**
     * An application started from its main class.
     *
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @param readyOutput text it writes once ready; empty: do not wait
     * @param readyTimeout how long to wait for it
     */
    record Application(Class<?> mainClass, List<String> args, String readyOutput, Duration readyTimeout) {
        Application {
            args = List.copyOf(args);
        }
    }

    static Configuration resolve(ExtensionContext context) {
        Declarations declared = Declarations.of(context);
        if (declared.isEmpty()) {
            throw new ExtensionConfigurationException("GracefulShutdownExtension needs @GracefulShutdownTest on the test "
                    + "class or method; register it through the annotation, not with @ExtendWith alone");
        }
        String where = context.getTestMethod().map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
                .orElse(context.getDisplayName());
        NamedLibraries.readFrom(context);

        ShutdownTrigger trigger = Configuration.<ShutdownTrigger>single("trigger", declared.nearest(GracefulShutdownTest::trigger, Configuration::isSet))
                .orElse(ShutdownTrigger.SIGTERM);
        Duration gracePeriod = duration("gracePeriod", declared.nearest(GracefulShutdownTest::gracePeriod, Configuration::isSet),
                context.getConfigurationParameter(GracefulShutdownTest.GRACE_PERIOD_PROPERTY),
                GracefulShutdownTest.DEFAULT_GRACE_PERIOD, false);
        Duration exitTimeout = duration("exitTimeout", declared.nearest(GracefulShutdownTest::exitTimeout, Configuration::isSet),
                context.getConfigurationParameter(GracefulShutdownTest.EXIT_TIMEOUT_PROPERTY),
                GracefulShutdownTest.DEFAULT_EXIT_TIMEOUT, true);
        Set<Violation.Kind> expect = declared.nearest(GracefulShutdownTest::expect, Configuration::isSet)
                .map(Configuration::expectedKinds).orElse(Set.of());
        if (context.getConfigurationParameter(GracefulShutdownTest.EXPECT_IGNORED_PROPERTY, Boolean::parseBoolean).orElse(false)) {
            expect = Set.of();
        }
        boolean fork = Configuration.<Boolean>single("fork", declared.nearest(GracefulShutdownTest::fork, Configuration::isSet))
                .orElseGet(() -> context.getConfigurationParameter(GracefulShutdownTest.FORK_ALL_PROPERTY, Boolean::parseBoolean)
                        .orElse(false));
        return new Configuration(new Settings(trigger, gracePeriod, exitTimeout, ignoredThreads(declared, context)), expect,
                fork, applicationOf(declared, where));
    }

    /** The kit's own list always; then the nearest annotation's patterns, else the configuration parameter's. */
    private static List<Pattern> ignoredThreads(Declarations declared, ExtensionContext context) {
        List<Pattern> ignored = new ArrayList<>(Settings.DEFAULT_IGNORED_PATTERNS);
        Optional<Declarations.Declared<String[]>> annotated = declared.nearest(GracefulShutdownTest::ignoreThreads,
                Configuration::isSet);
        if (annotated.isPresent()) {
            for (String pattern : annotated.get().value()) {
                ignored.add(regex("@GracefulShutdownTest(ignoreThreads) on " + annotated.get().on(), pattern));
            }
            return ignored;
        }
        context.getConfigurationParameter(GracefulShutdownTest.IGNORE_THREADS_PROPERTY).ifPresent(value -> {
            for (String pattern : value.split(",")) {
                if (!pattern.isBlank()) {
                    ignored.add(regex("configuration parameter " + GracefulShutdownTest.IGNORE_THREADS_PROPERTY, pattern.trim()));
                }
            }
        });
        return ignored;
    }

    /** The application to start from its main class; each of its attributes is resolved on its own. */
    private static Application applicationOf(Declarations declared, String where) {
        Optional<Declarations.Declared<Class<?>>> mainClass = declared.nearest(GracefulShutdownTest::mainClass, c -> c != void.class);
        Optional<Declarations.Declared<String[]>> args = declared.nearest(GracefulShutdownTest::args, Configuration::isSet);
        Optional<Declarations.Declared<String>> readyOutput = declared.nearest(GracefulShutdownTest::readyOutput, Configuration::isSet);
        Optional<Declarations.Declared<String>> readyTimeout = declared.nearest(GracefulShutdownTest::readyTimeout, Configuration::isSet);
        if (mainClass.isEmpty()) {
            String set = args.isPresent() ? "args" : readyOutput.isPresent() ? "readyOutput" : readyTimeout.isPresent() ? "readyTimeout" : null;
            if (set != null) {
                throw new ExtensionConfigurationException("@GracefulShutdownTest on " + where + ": `" + set
                        + "` requires `mainClass`, which is not set");
            }
            return null;
        }
        Class<?> type = mainClass.get().value();
        try {
            dev.gracefulshutdown.internal.simulate.MainApplication.mainMethod(type);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@GracefulShutdownTest(mainClass = " + type.getName()
                    + ".class) on " + mainClass.get().on() + ": " + e.getMessage(), e);
        }
        Duration timeout = duration("readyTimeout", readyTimeout, Optional.empty(), "30s", false);
        return new Application(type, args.map(a -> Arrays.asList(a.value())).orElse(List.of()),
                readyOutput.map(Declarations.Declared::value).orElse(""), timeout);
    }

    private static boolean isSet(String value) {
        return !value.isBlank();
    }

    private static boolean isSet(Object[] values) {
        return values.length > 0;
    }

    private static boolean isSet(boolean[] values) {
        return values.length > 0;
    }

    /** An attribute that is an array only so that "not set" can be told apart: at most one value. */
    private static <T> Optional<T> single(String attribute, Optional<? extends Declarations.Declared<?>> declared) {
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        Object values = declared.get().value();
        int length = java.lang.reflect.Array.getLength(values);
        if (length != 1) {
            String text = values instanceof boolean[] ? Arrays.toString((boolean[]) values) : Arrays.toString((Object[]) values);
            throw new ExtensionConfigurationException("@GracefulShutdownTest(" + attribute + " = " + text.replace('[', '{')
                    .replace(']', '}') + ") on " + declared.get().on() + ": `" + attribute + "` takes one value, but was given " + length);
        }
        @SuppressWarnings("unchecked")
        T value = (T) java.lang.reflect.Array.get(values, 0);
        return Optional.of(value);
    }

    private static Duration duration(String attribute, Optional<Declarations.Declared<String>> annotated,
            Optional<String> property, String fallback, boolean zeroAllowed) {
        String source;
        String value;
        if (annotated.isPresent()) {
            value = annotated.get().value();
            source = "@GracefulShutdownTest(" + attribute + " = \"" + value + "\") on " + annotated.get().on();
        } else if (property.isPresent() && !property.get().isBlank()) {
            String key = attribute.equals("gracePeriod") ? GracefulShutdownTest.GRACE_PERIOD_PROPERTY
                    : GracefulShutdownTest.EXIT_TIMEOUT_PROPERTY;
            source = "configuration parameter " + key + " = \"" + property.get() + "\"";
            value = property.get();
        } else {
            return parse(fallback);
        }
        Duration parsed;
        try {
            parsed = parse(value.trim());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ExtensionConfigurationException(source + ": `" + attribute + "` must be a duration such as 500ms, "
                    + "5s, 2m, 1h or PT5S, but was \"" + value + "\"", e);
        }
        if (parsed.isNegative()) {
            throw new ExtensionConfigurationException(source + ": `" + attribute + "` must not be negative, but was \""
                    + value + "\"");
        }
        if (parsed.isZero() && !zeroAllowed) {
            throw new ExtensionConfigurationException(source + ": `" + attribute + "` must be greater than zero (a grace "
                    + "period of zero kills the process before any hook runs), but was \"" + value + "\"");
        }
        return parsed;
    }

    static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("pt") || text.startsWith("-pt") || text.startsWith("p")) {
            return Duration.parse(value.trim());
        }
        boolean negative = text.startsWith("-");
        Matcher matcher = SIMPLE_DURATION.matcher(negative ? text.substring(1).trim() : text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration;
        switch (matcher.group(2)) {
            case "ms": duration = Duration.ofMillis(amount); break;
            case "s": duration = Duration.ofSeconds(amount); break;
            case "m": duration = Duration.ofMinutes(amount); break;
            default: duration = Duration.ofHours(amount); break;
        }
        return negative ? duration.negated() : duration;
    }

    private static Set<Violation.Kind> expectedKinds(Declarations.Declared<Violation.Kind[]> declared) {
        Set<Violation.Kind> set = EnumSet.noneOf(Violation.Kind.class);
        for (Violation.Kind kind : declared.value()) {
            if (!set.add(kind)) {
                throw new ExtensionConfigurationException("@GracefulShutdownTest(expect = " + Arrays.toString(declared.value())
                        + ") on " + declared.on() + ": `expect` lists " + kind + " twice");
            }
        }
        return set;
    }

    private static Pattern regex(String source, String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new ExtensionConfigurationException(source + ": \""
                    + pattern + "\" is not a valid regular expression: " + e.getDescription(), e);
        }
    }
}
