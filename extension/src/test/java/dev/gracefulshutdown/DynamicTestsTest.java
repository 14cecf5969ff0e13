package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A {@code @TestFactory}'s dynamic tests share one application lifetime, as JUnit runs them (no {@code @BeforeEach}
 * or {@code @AfterEach} between them): the application ends after the last one, and the verdict fails the factory.
 * Before, a factory was never judged: a pool its dynamic tests leaked was a clean verdict.
 */
class DynamicTestsTest {

    @Test
    void whatTheDynamicTestsLeaveIsJudgedWhenTheLastOneHasRun() {
        EngineExecutionResults results = Fixtures.run(FactoryCases.class);

        for (String leaky : new String[] {"aDynamicTestLeavesAPool", "aNestedDynamicTestLeavesAPool", "anIterableOfDynamicTests"}) {
            assertThat(failureOf(results, leaky).getMessage()).as(leaky)
                    .contains("1 violation")
                    .contains("LINGERING_THREAD: non-daemon thread")
                    .contains("created at dev.gracefulshutdown.DynamicTestsTest$FactoryCases.leak(");
        }
        for (String clean : new String[] {"everyDynamicTestShutsItsPoolDown", "aPoolTheLastDynamicTestShutsDown"}) {
            assertThat(factory(results, clean).getStatus()).as(clean).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
        assertThat(results.testEvents().succeeded().count()).as("the dynamic tests themselves pass: the verdict is the factory's")
                .isEqualTo(2 + 2 + 2 + 2 + 2);
    }

    @Test
    void aFactoryCannotRunForked() {
        EngineExecutionResults results = Fixtures.run(FactoryCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(failureOf(results, "aDynamicTestLeavesAPool"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@TestFactory FactoryCases.aDynamicTestLeavesAPool() cannot run in a forked JVM")
                .hasMessageContaining("@ParameterizedTest");
    }

    /** How the factory itself ended (not its dynamic tests or containers, which carry the same method source). */
    private static TestExecutionResult factory(EngineExecutionResults results, String method) {
        return results.containerEvents().finished().stream()
                .filter(event -> event.getTestDescriptor().getUniqueId().getLastSegment()
                        .equals(UniqueId.root("test-factory", method + "()").getLastSegment()))
                .findFirst().flatMap(event -> event.getPayload(TestExecutionResult.class))
                .orElseThrow(() -> new AssertionError("no factory " + method));
    }

    private static Throwable failureOf(EngineExecutionResults results, String method) {
        return factory(results, method).getThrowable()
                .orElseThrow(() -> new AssertionError("expected the factory " + method + " to fail, but it did not"));
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class FactoryCases {

        static ExecutorService leak() {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            pool.execute(() -> { });
            return pool;
        }

        @TestFactory
        Stream<DynamicTest> aDynamicTestLeavesAPool() {
            return Stream.of(DynamicTest.dynamicTest("clean", () -> { }), DynamicTest.dynamicTest("leaky", () -> leak()));
        }

        @TestFactory
        Stream<DynamicNode> aNestedDynamicTestLeavesAPool() {
            return Stream.of(DynamicContainer.dynamicContainer("group", Stream.of(
                    DynamicTest.dynamicTest("clean", () -> { }), DynamicTest.dynamicTest("leaky", () -> leak()))));
        }

        @TestFactory
        List<DynamicTest> anIterableOfDynamicTests() {
            return List.of(DynamicTest.dynamicTest("leaky", () -> leak()), DynamicTest.dynamicTest("clean", () -> { }));
        }

        @TestFactory
        Stream<DynamicTest> everyDynamicTestShutsItsPoolDown() {
            return Stream.of(DynamicTest.dynamicTest("first", () -> leak().shutdown()),
                    DynamicTest.dynamicTest("second", () -> leak().shutdown()));
        }

        private ExecutorService shared;

        @TestFactory
        DynamicTest[] aPoolTheLastDynamicTestShutsDown() {
            return new DynamicTest[] {DynamicTest.dynamicTest("starts", () -> shared = leak()),
                DynamicTest.dynamicTest("stops", () -> shared.shutdown())};
        }
    }
}
