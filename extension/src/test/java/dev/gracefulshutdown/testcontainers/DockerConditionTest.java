package dev.gracefulshutdown.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code @RequiresDocker} without Docker: skipped with the reason, or failed where container checks are required.
 * Registered on a class, the condition decides for the whole class, as {@code @RequiresDocker} on a class does.
 */
class DockerConditionTest {

    @Test
    void withoutDockerAContainerCheckIsSkippedWithTheReason() {
        Events events = run(NoDockerTestCases.class, Map.of());

        events.assertThatEvents().haveExactly(1, event(container("NoDockerTestCases"), skippedWithReason(
                "no Docker engine is available, so this container shutdown check is skipped (start dockerd or set "
                        + "DOCKER_HOST to run it; set gracefulshutdown.requireDocker=true to fail instead)")));
    }

    @Test
    void aDockerThatTestcontainersCannotUseIsNamedInTheReason() {
        Events events = run(UnusableDockerTestCases.class, Map.of());

        events.assertThatEvents().haveExactly(1, event(container("UnusableDockerTestCases"), skippedWithReason(reason ->
                reason.startsWith("Docker is not usable by Testcontainers (Can't get Docker image: testcontainers/ryuk)"))));
    }

    @Test
    void whereContainerChecksAreRequiredTheyFailWithoutDocker() {
        Events events = run(NoDockerTestCases.class, Map.of(RequiresDocker.REQUIRE_PROPERTY, "true"));

        // JUnit reports it as "Failed to evaluate condition [DockerCondition]: " followed by the kit's message
        events.assertThatEvents().haveExactly(1, event(container("NoDockerTestCases"), finishedWithFailure(
                message(text -> text.endsWith("@RequiresDocker: no Docker engine is available, and container checks are "
                        + "required here (gracefulshutdown.requireDocker or GRACEFULSHUTDOWN_REQUIRE_DOCKER is true): start "
                        + "a Docker engine (dockerd) or set DOCKER_HOST")))));
    }

    @Test
    void theEnvironmentVariableRequiresThemToo() {
        Events events = run(NoDockerButRequiredByEnvironmentTestCases.class, Map.of());

        assertThat(events.failed().count()).as("the class fails").isEqualTo(1);
        assertThat(events.skipped().count()).isZero();
    }

    @Test
    void withDockerTheCheckRuns() {
        Events events = run(DockerTestCases.class, Map.of());

        events.assertThatEvents().haveExactly(1, event(test("containerCheck"), finishedSuccessfully()));
    }

    private static Events run(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).configurationParameters(configuration)
                .execute().allEvents();
    }

    static class NoDockerTestCases {
        @RegisterExtension
        static final DockerCondition NO_DOCKER = new DockerCondition(() -> false, name -> null);

        @Test
        void containerCheck() {
        }
    }

    static class UnusableDockerTestCases {
        @RegisterExtension
        static final DockerCondition UNUSABLE = new DockerCondition(() -> {
            throw new IllegalStateException("Can't get Docker image: testcontainers/ryuk");
        }, name -> null);

        @Test
        void containerCheck() {
        }
    }

    static class NoDockerButRequiredByEnvironmentTestCases {
        @RegisterExtension
        static final DockerCondition NO_DOCKER = new DockerCondition(() -> false,
                name -> name.equals(RequiresDocker.REQUIRE_VARIABLE) ? "true" : null);

        @Test
        void containerCheck() {
        }
    }

    static class DockerTestCases {
        @RegisterExtension
        static final DockerCondition DOCKER = new DockerCondition(() -> true, name -> null);

        @Test
        void containerCheck() {
        }
    }
}
