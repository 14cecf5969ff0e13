package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.internal.simulate.Settings;
import java.lang.reflect.AnnotatedElement;
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
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolves one test's settings from the method's annotation, the class's (and enclosing classes'), the
 * {@code junit-platform.properties} defaults and the built-in defaults, in that order. Every value is
 * validated before anything runs; a bad one fails that test with {@link ExtensionConfigurationException}
 * naming the attribute and the value.
 */
final class Configuration {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Configuration() {
    }

    static Settings resolve(ExtensionContext context) {
        List<GracefulShutdownTest> annotations = new ArrayList<>();
        context.getTestMethod().flatMap(m -> find(m)).ifPresent(annotations::add);
        for (Optional<Class<?>> type = context.getTestClass(); type.isPresent();
                type = Optional.ofNullable(type.get().getEnclosingClass())) {
            find(type.get()).ifPresent(annotations::add);
        }
        if (annotations.isEmpty()) {
            throw new ExtensionConfigurationException("GracefulShutdownExtension needs @GracefulShutdownTest on the test "
                    + "class or method; register it through the annotation, not with @ExtendWith alone");
        }
        String where = context.getTestMethod().map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
                .orElse(context.getDisplayName());

        ShutdownTrigger trigger = annotations.get(0).trigger();
        Duration gracePeriod = duration("gracePeriod", first(annotations, GracefulShutdownTest::gracePeriod),
                context.getConfigurationParameter(GracefulShutdownTest.GRACE_PERIOD_PROPERTY),
                GracefulShutdownTest.DEFAULT_GRACE_PERIOD, where, false);
        Duration exitTimeout = duration("exitTimeout", first(annotations, GracefulShutdownTest::exitTimeout),
                context.getConfigurationParameter(GracefulShutdownTest.EXIT_TIMEOUT_PROPERTY),
                GracefulShutdownTest.DEFAULT_EXIT_TIMEOUT, where, true);
        Set<Violation.Kind> expect = expect(annotations.stream().map(GracefulShutdownTest::expect)
                .filter(e -> e.length > 0).findFirst().orElse(new Violation.Kind[0]), where);
        if (context.getConfigurationParameter(GracefulShutdownTest.EXPECT_IGNORED_PROPERTY, Boolean::parseBoolean).orElse(false)) {
            expect = Set.of();
        }

        List<Pattern> ignored = new ArrayList<>();
        for (String pattern : Settings.DEFAULT_IGNORED_THREADS) {
            ignored.add(Pattern.compile(pattern));
        }
        context.getConfigurationParameter(GracefulShutdownTest.IGNORE_THREADS_PROPERTY).ifPresent(value -> {
            for (String pattern : value.split(",")) {
                if (!pattern.isBlank()) {
                    ignored.add(regex(GracefulShutdownTest.IGNORE_THREADS_PROPERTY, pattern.trim(), where));
                }
            }
        });
        for (GracefulShutdownTest annotation : annotations) {
            for (String pattern : annotation.ignoreThreads()) {
                ignored.add(regex("ignoreThreads", pattern, where));
            }
        }
        boolean fork = annotations.stream().anyMatch(GracefulShutdownTest::fork)
                || context.getConfigurationParameter(GracefulShutdownTest.FORK_ALL_PROPERTY, Boolean::parseBoolean).orElse(false);
        return new Settings(trigger, gracePeriod, exitTimeout, expect, ignored, fork, application(annotations.get(0), where));
    }

    /** The application to start from its main class; its attributes only make sense together. */
    private static Settings.Application application(GracefulShutdownTest annotation, String where) {
        if (annotation.mainClass() == void.class) {
            for (String attribute : new String[] {"args", "readyOutput", "readyTimeout"}) {
                boolean set = attribute.equals("args") ? annotation.args().length > 0
                        : attribute.equals("readyOutput") ? !annotation.readyOutput().isEmpty() : !annotation.readyTimeout().isEmpty();
                if (set) {
                    throw new ExtensionConfigurationException("@GracefulShutdownTest on " + where + ": `" + attribute
                            + "` requires `mainClass`, which is not set");
                }
            }
            return null;
        }
        try {
            dev.gracefulshutdown.internal.simulate.MainApplication.mainMethod(annotation.mainClass());
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@GracefulShutdownTest(mainClass = " + annotation.mainClass().getName()
                    + ".class) on " + where + ": " + e.getMessage(), e);
        }
        Duration readyTimeout = duration("readyTimeout", Optional.of(annotation.readyTimeout()).filter(v -> !v.isBlank()),
                Optional.empty(), "30s", where, false);
        return new Settings.Application(annotation.mainClass(), Arrays.asList(annotation.args()), annotation.readyOutput(),
                readyTimeout);
    }

    private static Optional<GracefulShutdownTest> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, GracefulShutdownTest.class);
    }

    private static Optional<String> first(List<GracefulShutdownTest> annotations,
            java.util.function.Function<GracefulShutdownTest, String> attribute) {
        return annotations.stream().map(attribute).filter(v -> !v.isBlank()).findFirst();
    }

    private static Duration duration(String attribute, Optional<String> annotated, Optional<String> property,
            String fallback, String where, boolean zeroAllowed) {
        String source;
        String value;
        if (annotated.isPresent()) {
            source = "@GracefulShutdownTest(" + attribute + " = \"" + annotated.get() + "\") on " + where;
            value = annotated.get();
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

    private static Set<Violation.Kind> expect(Violation.Kind[] kinds, String where) {
        Set<Violation.Kind> set = EnumSet.noneOf(Violation.Kind.class);
        for (Violation.Kind kind : kinds) {
            if (!set.add(kind)) {
                throw new ExtensionConfigurationException("@GracefulShutdownTest(expect = " + Arrays.toString(kinds)
                        + ") on " + where + ": `expect` lists " + kind + " twice");
            }
        }
        return set;
    }

    private static Pattern regex(String attribute, String pattern, String where) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new ExtensionConfigurationException("@GracefulShutdownTest(" + attribute + ") on " + where + ": \""
                    + pattern + "\" is not a valid regular expression: " + e.getDescription(), e);
        }
    }
}
