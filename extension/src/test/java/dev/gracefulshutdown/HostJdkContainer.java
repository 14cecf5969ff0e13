package dev.gracefulshutdown;

import com.github.dockerjava.api.DockerClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * A container that runs a main class of the test class path on this machine's JDK, with no image registry: an
 * empty image ({@value #IMAGE}, imported here if missing) with the host's {@code /usr}, {@code /lib},
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

    /** {@code tar cf - --files-from /dev/null | docker import - local/empty:1}, through the Docker API. */
    private static synchronized void ensureEmptyImage() {
        DockerClient docker = DockerClientFactory.instance().client();
        if (docker.listImagesCmd().withImageNameFilter(IMAGE).exec().isEmpty()) {
            byte[] emptyTar = new byte[1024]; // two zero blocks: a tar archive with nothing in it
            docker.createImageCmd("local/empty", new ByteArrayInputStream(emptyTar)).withTag("1").exec();
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
