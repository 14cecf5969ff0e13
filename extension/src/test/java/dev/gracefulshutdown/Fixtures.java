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

    /**
     * A point the fixture's code reaches on another thread (a timer's, an event loop's), awaited until that thread has
     * also left the fixture's code: a test that returns as soon as a latch is counted down would otherwise let the
     * halt find that thread still a step inside the fixture's code (just past the count-down), now and then, on a
     * loaded machine, and the verdict would name work the test meant to have finished.
     */
    public static final class Reached {
        private final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        private volatile Thread thread;

        /** Called by the fixture's code on the thread that reaches the point. */
        public void signal() {
            thread = Thread.currentThread();
            latch.countDown();
        }

        /** Waits (10 s at most) for the point, then for its thread to leave the code of {@code fixture}'s file and this class. */
        public void await(Class<?> fixture) throws InterruptedException {
            if (!latch.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("the fixture's code never reached the point");
            }
            Class<?> topLevel = fixture;
            while (topLevel.getEnclosingClass() != null) {
                topLevel = topLevel.getEnclosingClass();
            }
            String prefix = topLevel.getName();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollDelay(java.time.Duration.ZERO)
                    .pollInterval(java.time.Duration.ofMillis(1))
                    .until(() -> Arrays.stream(thread.getStackTrace()).noneMatch(frame -> frame.getClassName().startsWith(prefix)
                            || frame.getClassName().startsWith(Reached.class.getName())));
        }
    }
}
