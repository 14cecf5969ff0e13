package dev.gracefulshutdown.examples;

import com.github.dockerjava.api.DockerClient;
import dev.gracefulshutdown.examples.http.ExportService;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

/**
 * The {@link ExportService} in a container.
 *
 * <p>In your project the container is your application's image (a Dockerfile {@code FROM eclipse-temurin:21-jre},
 * Jib, Buildpacks): {@code new GenericContainer<>("registry/export-service:1.4")}. This build has no image
 * registry, so it runs this machine's JDK in an empty local image ({@value #IMAGE}, built FROM scratch if missing) with the
 * host's {@code /usr}, {@code /lib}, {@code /lib64} and {@code /etc} mounted read-only and the compiled examples
 * copied to {@code /app}. To the kit it makes no difference: the agent goes in through {@code JAVA_TOOL_OPTIONS}.
 */
final class ExportServiceContainers {

    static final String IMAGE = "local/empty:1";
    static final int PORT = 8080;

    private ExportServiceContainers() {
    }

    static GenericContainer<?> exportService(String... args) {
        ensureEmptyImage();
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", "/app", ExportService.class.getName(), "--port=" + PORT));
        command.addAll(List.of(args));
        GenericContainer<?> container = new GenericContainer<>(IMAGE);
        for (String system : List.of("/usr", "/lib", "/lib64", "/etc")) {
            container.withFileSystemBind(system, system, BindMode.READ_ONLY);
        }
        return container.withCopyFileToContainer(MountableFile.forHostPath(classes()), "/app")
                .withCommand(command.toArray(new String[0]))
                .withExposedPorts(PORT)
                .waitingFor(Wait.forLogMessage(".*ExportService listening on port.*\\n", 1));
    }

    /** An empty image: built {@code FROM scratch}, which needs no registry (the same as {@code docker import} of an empty tar). */
    private static synchronized void ensureEmptyImage() {
        DockerClient docker = DockerClientFactory.instance().client();
        if (docker.listImagesCmd().withReferenceFilter(IMAGE).exec().isEmpty()) {
            new ImageFromDockerfile(IMAGE, false)
                    .withDockerfileFromBuilder(dockerfile -> dockerfile.from("scratch").label("purpose", "graceful-shutdown-junit").build())
                    .get();
        }
    }

    private static java.nio.file.Path classes() {
        try {
            return Paths.get(ExportService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
