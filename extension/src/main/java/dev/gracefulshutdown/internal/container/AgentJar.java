package dev.gracefulshutdown.internal.container;

import dev.gracefulshutdown.internal.capture.Agent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The kit as one self-contained agent jar, for a JVM that has nothing else of it (an application in a
 * container): the kit's classes and Byte Buddy's, taken from wherever this JVM loaded them (jars, or class
 * directories in the kit's own build), with the agent's manifest. Built once per JVM.
 */
public final class AgentJar {

    private static Path built;

    private AgentJar() {
    }

    public static synchronized Path get() {
        if (built == null) {
            try {
                Path jar = Files.createTempFile("graceful-shutdown-junit-agent", ".jar");
                jar.toFile().deleteOnExit();
                write(jar);
                built = jar;
            } catch (IOException e) {
                throw new UncheckedIOException("could not build the kit's agent jar for the container", e);
            }
        }
        return built;
    }

    private static void write(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Premain-Class", Agent.class.getName());
        attributes.putValue("Can-Retransform-Classes", "true");
        attributes.putValue("Can-Redefine-Classes", "true");
        Set<String> written = new HashSet<>();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> from : List.of(Agent.class, net.bytebuddy.ByteBuddy.class, net.bytebuddy.agent.ByteBuddyAgent.class)) {
                Path source = location(from);
                if (Files.isDirectory(source)) {
                    copyDirectory(source, out, written);
                } else {
                    copyJar(source, out, written);
                }
            }
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the classes of " + type.getName() + " to build the agent jar", e);
        }
    }

    private static void copyDirectory(Path root, JarOutputStream out, Set<String> written) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (wanted(name) && written.add(name)) {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
        }
    }

    private static void copyJar(Path source, JarOutputStream out, Set<String> written) throws IOException {
        try (JarFile jar = new JarFile(source.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = entry.getName();
                if (!entry.isDirectory() && wanted(name) && written.add(name)) {
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    /** Classes and resources; not manifests, signatures or module descriptors of the jars it merges. */
    private static boolean wanted(String name) {
        return !name.equals("META-INF/MANIFEST.MF") && !name.endsWith("module-info.class")
                && !(name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA")));
    }
}
