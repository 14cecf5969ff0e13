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
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;

/**
 * The kit as one self-contained agent jar, for a JVM that has nothing else of it (an application in a
 * container): the kit's classes and Byte Buddy's, taken from wherever this JVM loaded them (jars, or class
 * directories in the kit's own build), with the agent's manifest. Built once per JVM.
 *
 * <p>Byte Buddy is relocated to {@value #RELOCATED_PREFIX}{@code net.bytebuddy}, as a shading plugin would do
 * it: an agent jar is appended to the application's class path, so an application with its own Byte Buddy
 * first on the class path (Hibernate's, in an image built by Jib) would otherwise lend the agent a version it
 * was not built with; and Byte Buddy's system properties ({@code net.bytebuddy.safe}, which the agent sets)
 * would reach the application's copy.
 *
 * <p>The build does the relocation once ({@link #main}, in the build's {@code process-classes} phase) and puts the
 * result into the kit's jar as {@value #PREBUILT}; {@link #get} copies it out when it was built from exactly the kit
 * classes and the Byte Buddy this JVM runs (a digest in its manifest says so), and relocates at run time otherwise
 * (the kit's classes recompiled by an IDE, a repackaged kit).
 */
public final class AgentJar {

    /** Where Byte Buddy goes in the agent jar; under the kit's internal package, so call sites skip it too. */
    static final String RELOCATED_PREFIX = "dev.gracefulshutdown.internal.shaded.";

    /** The agent jar the build relocated, next to this class; absent in an IDE's build. */
    static final String PREBUILT = "prebuilt-agent.jar";
    private static final String PREBUILT_ENTRY = AgentJar.class.getPackageName().replace('.', '/') + "/" + PREBUILT;
    private static final String DIGEST_ATTRIBUTE = "Graceful-Shutdown-Kit-Digest";
    private static final String BYTE_BUDDY = "net/bytebuddy/";
    private static final String RELOCATED = RELOCATED_PREFIX.replace('.', '/');

    private static Path built;

    private AgentJar() {
    }

    public static synchronized Path get() {
        if (built == null) {
            try {
                Path jar = Files.createTempFile("graceful-shutdown-junit-agent", ".jar");
                jar.toFile().deleteOnExit();
                if (!copyPrebuilt(jar)) {
                    write(jar, digest());
                }
                built = jar;
            } catch (IOException e) {
                throw new UncheckedIOException("could not build the kit's agent jar for the container", e);
            }
        }
        return built;
    }

    /** The build's step: writes the relocated agent jar to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path jar = Paths.get(args[0]);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Files.deleteIfExists(jar);
        Path partial = jar.resolveSibling(jar.getFileName() + ".partial");
        write(partial, digest());
        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Relocates at run time, as {@link #get} does when there is no usable prebuilt jar. */
    public static void relocateTo(Path target) throws IOException {
        write(target, digest());
    }

    /** Copies the build's agent jar to {@code target} if it was built from this very kit and Byte Buddy. */
    public static boolean copyPrebuilt(Path target) throws IOException {
        if (Boolean.getBoolean("gracefulshutdown.agentJar.relocateAtRunTime")) {
            return false;
        }
        try (InputStream prebuilt = AgentJar.class.getResourceAsStream(PREBUILT)) {
            if (prebuilt == null) {
                return false;
            }
            Files.copy(prebuilt, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (JarFile jar = new JarFile(target.toFile())) {
            Manifest manifest = jar.getManifest();
            String builtFrom = manifest == null ? null : manifest.getMainAttributes().getValue(DIGEST_ATTRIBUTE);
            return builtFrom != null && builtFrom.equals(digest());
        }
    }

    /**
     * What the agent jar is built from: the kit's class files (names and bytes) and Byte Buddy's jars (their file
     * names carry the version). Reading the kit's few hundred classes takes milliseconds; relocating Byte Buddy's
     * thousands takes a second.
     */
    static String digest() throws IOException {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible); // every JDK has SHA-256
        }
        for (Class<?> from : List.of(net.bytebuddy.ByteBuddy.class, net.bytebuddy.agent.ByteBuddyAgent.class)) {
            digest.update(String.valueOf(location(from).getFileName()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        java.util.SortedMap<String, byte[]> classes = new java.util.TreeMap<>();
        Path kit = location(Agent.class);
        if (Files.isDirectory(kit)) {
            try (Stream<Path> files = Files.walk(kit)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String name = kit.relativize(file).toString().replace('\\', '/');
                    if (isKitClass(name)) {
                        classes.put(name, Files.readAllBytes(file));
                    }
                }
            }
        } else {
            try (JarFile jar = new JarFile(kit.toFile())) {
                for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                    if (!entry.isDirectory() && isKitClass(entry.getName())) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            classes.put(entry.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        for (java.util.Map.Entry<String, byte[]> entry : classes.entrySet()) {
            digest.update(entry.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(entry.getValue());
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : digest.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private static boolean isKitClass(String name) {
        return name.endsWith(".class") && wanted(name) && !name.startsWith(BYTE_BUDDY);
    }

    private static void write(Path jar, String digest) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Premain-Class", Agent.class.getName());
        attributes.putValue("Agent-Class", Agent.class.getName());
        attributes.putValue("Can-Retransform-Classes", "true");
        attributes.putValue("Can-Redefine-Classes", "true");
        attributes.putValue(DIGEST_ATTRIBUTE, digest);
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
                if (wanted(name)) {
                    add(name, Files.readAllBytes(file), out, written);
                }
            }
        }
    }

    private static void copyJar(Path source, JarOutputStream out, Set<String> written) throws IOException {
        try (JarFile jar = new JarFile(source.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = entry.getName();
                if (!entry.isDirectory() && wanted(name)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        add(name, in.readAllBytes(), out, written);
                    }
                }
            }
        }
    }

    private static void add(String name, byte[] content, JarOutputStream out, Set<String> written) throws IOException {
        String relocatedName = relocated(name);
        if (written.add(relocatedName)) {
            out.putNextEntry(new JarEntry(relocatedName));
            out.write(name.endsWith(".class") ? relocate(content) : content);
            out.closeEntry();
        }
    }

    /** Byte Buddy's internal names (and entry names) under the relocated prefix; anything else as it is. */
    private static String relocated(String internalName) {
        return internalName.startsWith(BYTE_BUDDY) ? RELOCATED + internalName : internalName;
    }

    /** Rewrites every reference to Byte Buddy, in Byte Buddy's classes and in the kit's. */
    static byte[] relocate(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new Relocator()), 0);
        return writer.toByteArray();
    }

    /**
     * Classes and resources; not manifests, signatures or module descriptors of the jars it merges, nor what a
     * JVM never loads from this jar: Byte Buddy's Java 24 classes (the jar is not multi-release; Byte Buddy
     * then uses its own ASM) and byte-buddy-agent's Windows attach libraries (the agent is never attached); nor the
     * build's agent jar itself.
     */
    private static boolean wanted(String name) {
        return !name.equals("META-INF/MANIFEST.MF") && !name.endsWith("module-info.class") && !name.startsWith(PREBUILT_ENTRY)
                && !name.startsWith("META-INF/versions/") && !name.startsWith("win32-")
                && !(name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA")));
    }

    /**
     * Maps {@code net/bytebuddy/...} to its relocated name in type references, and in string constants that
     * name a class or a system property of Byte Buddy ({@code "net.bytebuddy.safe"},
     * {@code "net.bytebuddy.agent.Installer"}). The bare prefix {@code "net.bytebuddy."} is left alone: the kit
     * uses it to recognize the application's own Byte Buddy.
     */
    private static final class Relocator extends Remapper {

        Relocator() {
            super(Opcodes.ASM9);
        }

        @Override
        public String map(String internalName) {
            return relocated(internalName);
        }

        @Override
        public Object mapValue(Object value) {
            if (value instanceof String) {
                String constant = (String) value;
                if (constant.startsWith(BYTE_BUDDY) && constant.length() > BYTE_BUDDY.length()) {
                    return relocated(constant);
                }
                if (constant.startsWith("net.bytebuddy.") && constant.length() > "net.bytebuddy.".length()) {
                    return RELOCATED_PREFIX + constant;
                }
                return constant;
            }
            return super.mapValue(value);
        }
    }
}
