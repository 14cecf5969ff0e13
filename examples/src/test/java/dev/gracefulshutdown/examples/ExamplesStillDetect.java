package dev.gracefulshutdown.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs example classes as if their {@code expect} were absent and checks that every broken example fails,
 * naming each kind it declares, and that every fixed one passes. So the examples can never silently stop
 * detecting what they claim to.
 */
public final class ExamplesStillDetect {

    private ExamplesStillDetect() {
    }

    public static void check(Class<?> examples) {
        org.junit.platform.testkit.engine.EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(examples))
                .configurationParameter(GracefulShutdownTest.EXPECT_IGNORED_PROPERTY, "true")
                .execute();
        Events events = results.testEvents();
        assertThat(events.finished().count() + results.allEvents().skipped().count())
                .as("tests run in %s", examples.getSimpleName())
                .isPositive(); // a class disabled on this JDK is skipped, with its reason
        for (Event finished : events.finished().list()) {
            Method method = ((MethodSource) finished.getTestDescriptor().getSource().orElseThrow()).getJavaMethod();
            TestExecutionResult result = finished.getPayload(TestExecutionResult.class).orElseThrow();
            Violation.Kind[] expected = Optional.ofNullable(method.getAnnotation(GracefulShutdownTest.class))
                    .map(GracefulShutdownTest::expect).orElse(new Violation.Kind[0]);
            String name = examples.getSimpleName() + "." + method.getName();
            if (expected.length == 0 && notReached(result)) {
                continue; // an explored run whose point this run's timing did not reach: skipped, by design
            }
            if (expected.length == 0) {
                assertThat(result.getStatus()).as("%s (fixed) passes: %s", name, result.getThrowable())
                        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
            } else {
                assertThat(result.getStatus()).as("%s (broken) fails without its expect", name)
                        .isEqualTo(TestExecutionResult.Status.FAILED);
                String message = result.getThrowable().map(Throwable::getMessage).orElse("");
                Arrays.stream(expected).forEach(kind -> assertThat(message).as(name).contains(") " + kind + ": "));
            }
        }
    }

    /** An {@code @ExploreShutdown} run that never reached its point (the application took another path this time). */
    private static boolean notReached(TestExecutionResult result) {
        return result.getStatus() == TestExecutionResult.Status.ABORTED && result.getThrowable()
                .map(Throwable::getMessage).filter(message -> message.contains("never reached")).isPresent();
    }
}
