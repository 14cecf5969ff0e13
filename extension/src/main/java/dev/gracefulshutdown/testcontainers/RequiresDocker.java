package dev.gracefulshutdown.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated container checks only where a Docker engine is reachable; elsewhere they are skipped, with
 * a reason that says so. In CI, where skipping would hide that no container check ran, set
 * {@value #REQUIRE_PROPERTY}{@code =true} (a JUnit configuration parameter or system property) or the
 * environment variable {@value #REQUIRE_VARIABLE}{@code =true}: the checks then fail without Docker.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DockerCondition.class)
public @interface RequiresDocker {

    /** Configuration parameter (or system property): {@code true} fails container checks without Docker. */
    String REQUIRE_PROPERTY = "gracefulshutdown.requireDocker";
    /** Environment variable: {@code true} fails container checks without Docker. */
    String REQUIRE_VARIABLE = "GRACEFULSHUTDOWN_REQUIRE_DOCKER";
}
