package dev.gracefulshutdown.testsupport;

import com.github.dockerjava.api.DockerClient;
import java.net.URISyntaxException;
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
 * A container that runs a main class on this machine's JDK, for a build with no image registry: an empty image
 * ({@value #IMAGE}, built {@code FROM scratch} if missing) with the host's {@code /usr}, {@code /lib},
 * {@code /lib64} and {@code /etc} mounted read-only, and the main class's class directory copied to
 * {@code /app/classes}.
 *
 * <p>A user's container is their application's image instead ({@code FROM eclipse-temurin}, Jib, Buildpacks).
 * To the kit it makes no difference: its agent goes in through {@code JAVA_TOOL_OPTIONS} either way.
 */
public final class HostJdkContainer {

    public static final String IMAGE = "local/empty:1";

    private HostJdkContainer() {
    }

    /**
     * @param readyLog a line the application prints once it is ready; the container's start waits for it
     */
    public static GenericContainer<?> running(Class<?> mainClass, String readyLog, String... args) {
        return running(mainClass, null, readyLog, args);
    }

    /**
     * With the application's libraries too, laid out the way Jib lays out an image: classes in
     * {@code /app/classes}, the jars in {@code /app/libs}.
     *
     * @param libraries a directory of the application's runtime jars (Maven's {@code copy-dependencies}), or
     *     {@code null}
     * @param readyLog a line the application prints once it is ready; the container's start waits for it
     */
    public static GenericContainer<?> running(Class<?> mainClass, Path libraries, String readyLog, String... args) {
        ensureEmptyImage();
        String classPath = libraries == null ? "/app/classes" : "/app/classes:/app/libs/*";
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, mainClass.getName()));
        command.addAll(List.of(args));
        GenericContainer<?> container = new GenericContainer<>(IMAGE);
        for (String system : List.of("/usr", "/lib", "/lib64", "/etc")) {
            container.withFileSystemBind(system, system, BindMode.READ_ONLY);
        }
        container.withCopyFileToContainer(MountableFile.forHostPath(classesOf(mainClass)), "/app/classes");
        if (libraries != null) {
            container.withCopyFileToContainer(MountableFile.forHostPath(libraries), "/app/libs");
        }
        return container.withCommand(command.toArray(new String[0]))
                .waitingFor(Wait.forLogMessage(".*" + readyLog + ".*\\n", 1));
    }

    /**
     * The same container, its main class started the way an entrypoint script without {@code exec} starts it
     * ({@code java ...; echo ...}): the shell stays the container's main process, PID 1, and the JVM runs as its
     * child.
     */
    public static GenericContainer<?> startedByAShellScript(GenericContainer<?> container) {
        return container.withCommand("/usr/bin/sh", "-c",
                String.join(" ", container.getCommandParts()) + "; echo the entrypoint script goes on");
    }

    /** Builds the empty image {@code FROM scratch}, which needs no registry (like {@code docker import} of an empty tar). */
    private static synchronized void ensureEmptyImage() {
        DockerClient docker = DockerClientFactory.instance().client();
        if (docker.listImagesCmd().withReferenceFilter(IMAGE).exec().isEmpty()) {
            new ImageFromDockerfile(IMAGE, false)
                    .withDockerfileFromBuilder(dockerfile -> dockerfile.from("scratch").label("purpose", "graceful-shutdown-junit").build())
                    .get();
        }
    }

    /** The class directory (or jar) a class was loaded from. */
    public static Path classesOf(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + type.getName(), e);
        }
    }
}
