package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.examples.http.ExportService;
import dev.gracefulshutdown.testsupport.HostJdkContainer;
import org.testcontainers.containers.GenericContainer;

/**
 * The {@link ExportService} in a container.
 *
 * <p>In your project the container is your application's image (a Dockerfile {@code FROM eclipse-temurin:21-jre},
 * Jib, Buildpacks): {@code new GenericContainer<>("registry/export-service:1.4")}. This build has no image
 * registry, so {@link HostJdkContainer} runs this machine's JDK in an empty local image with the host's
 * {@code /usr}, {@code /lib}, {@code /lib64} and {@code /etc} mounted read-only and the compiled examples copied
 * to {@code /app}. To the kit it makes no difference: the agent goes in through {@code JAVA_TOOL_OPTIONS}.
 */
final class ExportServiceContainers {

    static final int PORT = 8080;

    private ExportServiceContainers() {
    }

    static GenericContainer<?> exportService(String... args) {
        String[] withPort = new String[args.length + 1];
        withPort[0] = "--port=" + PORT;
        System.arraycopy(args, 0, withPort, 1, args.length);
        return HostJdkContainer.running(ExportService.class, "ExportService listening on port", withPort)
                .withExposedPorts(PORT);
    }
}
