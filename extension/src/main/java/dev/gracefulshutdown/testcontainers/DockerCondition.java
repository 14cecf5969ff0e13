package dev.gracefulshutdown.testcontainers;

import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** {@link RequiresDocker}: enabled with Docker; without it skipped, or failed where Docker is required. */
final class DockerCondition implements ExecutionCondition {

    private final BooleanSupplier dockerAvailable;
    private final UnaryOperator<String> environment;

    DockerCondition() {
        this(() -> DockerClientFactory.instance().isDockerAvailable(), System::getenv);
    }

    DockerCondition(BooleanSupplier dockerAvailable, UnaryOperator<String> environment) {
        this.dockerAvailable = dockerAvailable;
        this.environment = environment;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String unavailable = "no Docker engine is available";
        try {
            if (dockerAvailable.getAsBoolean()) {
                return ConditionEvaluationResult.enabled("a Docker engine is available");
            }
        } catch (RuntimeException | LinkageError notUsable) { // e.g. Testcontainers cannot start its Ryuk container
            unavailable = "Docker is not usable by Testcontainers (" + notUsable.getMessage() + ")";
        }
        boolean required = context.getConfigurationParameter(RequiresDocker.REQUIRE_PROPERTY).map(Boolean::parseBoolean)
                .orElse(false) || Boolean.parseBoolean(environment.apply(RequiresDocker.REQUIRE_VARIABLE));
        if (required) {
            throw new ExtensionConfigurationException("@RequiresDocker: " + unavailable + ", and container "
                    + "checks are required here (" + RequiresDocker.REQUIRE_PROPERTY + " or " + RequiresDocker.REQUIRE_VARIABLE
                    + " is true): start a Docker engine (dockerd) or set DOCKER_HOST");
        }
        return ConditionEvaluationResult.disabled(unavailable + ", so this container shutdown check is "
                + "skipped (start dockerd or set DOCKER_HOST to run it; set " + RequiresDocker.REQUIRE_PROPERTY
                + "=true to fail instead)");
    }
}
