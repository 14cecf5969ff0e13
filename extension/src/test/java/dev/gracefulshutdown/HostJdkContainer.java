package dev.gracefulshutdown;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
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
 * A container that runs a main class of the test class path on this machine's JDK, with no image registry: an
 * empty image ({@value #IMAGE}, built FROM scratch here if missing) with the host's {@code /usr}, {@code /lib},
 * {@code /lib64} and {@code /etc} mounted read-only, and the test classes copied to {@code /app}.
 */
final class HostJdkContainer {

    static final String IMAGE = "local/empty:1";

    private HostJdkContainer() {
    }

    static GenericContainer<?> running(Class<?> mainClass, String readyLog, String... args) {
        ensureEmptyImage();
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", "/app", mainClass.getName()));
        command.addAll(List.of(args));
        GenericContainer<?> container = new GenericContainer<>(IMAGE);
        for (String system : List.of("/usr", "/lib", "/lib64", "/etc")) {
            container.withFileSystemBind(system, system, BindMode.READ_ONLY);
        }
        return container.withCopyFileToContainer(MountableFile.forHostPath(classesOf(mainClass)), "/app")
                .withCommand(command.toArray(new String[0]))
                .waitingFor(Wait.forLogMessage(".*" + readyLog + ".*\\n", 1));
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

    private static Path classesOf(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
