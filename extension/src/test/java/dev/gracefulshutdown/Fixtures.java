package dev.gracefulshutdown;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs fixture classes (nested {@code TestCases}: the build never runs nested classes directly) through the
 * JUnit Platform, and reads which of their tests passed and with which failure.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static EngineExecutionResults run(Class<?> fixture, String... configuration) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture));
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            builder = builder.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return builder.execute();
    }

    public static Events tests(Class<?> fixture, String... configuration) {
        return run(fixture, configuration).testEvents();
    }

    /** The failure of the named test method; fails if that test did not fail. */
    public static Throwable failure(Events events, String method) {
        Optional<Throwable> failure = finished(events, method)
                .flatMap(e -> e.getPayload(TestExecutionResult.class))
                .flatMap(TestExecutionResult::getThrowable);
        return failure.orElseThrow(() -> new AssertionError("expected test " + method + " to fail, but it did not; "
                + "outcomes: " + outcomes(events)));
    }

    /** The failure message of the named test method. */
    public static String failureMessage(Events events, String method) {
        return String.valueOf(failure(events, method).getMessage());
    }

    public static void assertPassed(Events events, String... methods) {
        for (String method : methods) {
            Optional<TestExecutionResult> result = finished(events, method).flatMap(e -> e.getPayload(TestExecutionResult.class));
            if (result.isEmpty() || result.get().getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                throw new AssertionError("expected test " + method + " to pass, but: "
                        + result.flatMap(TestExecutionResult::getThrowable).map(Fixtures::describe).orElse("it did not run")
                        + "\noutcomes: " + outcomes(events));
            }
        }
    }

    private static Optional<Event> finished(Events events, String method) {
        return events.finished().stream().filter(e -> method.equals(methodName(e))).findFirst();
    }

    private static String methodName(Event event) {
        return event.getTestDescriptor().getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName())
                .orElse(event.getTestDescriptor().getDisplayName());
    }

    private static String outcomes(Events events) {
        return events.finished().stream()
                .map(e -> methodName(e) + "=" + e.getPayload(TestExecutionResult.class).map(TestExecutionResult::getStatus).orElse(null))
                .collect(Collectors.joining(", "));
    }

    private static String describe(Throwable failure) {
        return failure + Arrays.stream(failure.getSuppressed()).map(s -> "\n suppressed: " + s).collect(Collectors.joining());
    }
}
