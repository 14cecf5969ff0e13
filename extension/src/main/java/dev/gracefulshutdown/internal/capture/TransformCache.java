package dev.gracefulshutdown.internal.capture;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * The instrumented bytes of the JDK classes and of the libraries' classes the kit instruments (servers' and
 * frameworks' pools, their error handlers), kept on disk between JVMs: computing them means loading Byte Buddy (about
 * eight hundred classes, about half a second in a cold JVM); a later JVM of the same JDK and the same kit retransforms
 * the JDK classes and defines the libraries' with the stored bytes, and never loads it.
 *
 * <p>An entry is used only if everything its bytes were computed from is exactly what this JVM has: the class file
 * the JVM hands the transformer (stored in full in the entry and compared byte for byte), the kit's weaving (a
 * fingerprint of the advice classes, the weaving and adapter classes, and Byte Buddy's own code) and the JDK (its
 * version, vendor and home). The stored result carries its own checksum and length, so a torn or corrupt entry is
 * ignored and computed again. Entries are written to a temporary file and moved into place atomically: JVMs forked
 * in parallel may write the same entry, each a complete one.
 *
 * <p>Where: {@code -Dgracefulshutdown.agent.cache=<directory>}, or {@code none} for no cache; by default
 * {@code $XDG_CACHE_HOME/graceful-shutdown-junit} or {@code ~/.cache/graceful-shutdown-junit}, and else a directory of
 * this user's only in {@code java.io.tmpdir} (one another user could write to is never used: its bytes would run
 * inside {@code java.lang.Thread}).
 */
final class TransformCache {

    static final String PROPERTY = "gracefulshutdown.agent.cache";
    private static final int MAGIC = 0x47534a43; // "GSJC"
    private static final int FORMAT = 1;

    private final Path directory;
    private final String kit;
    private final String jdk;

    private TransformCache(Path directory, String kit, String jdk) {
        this.directory = directory;
        this.kit = kit;
        this.jdk = jdk;
    }

    /** The cache of this JVM, or {@code null} when it is turned off or has no usable directory. */
    static TransformCache open(List<String> kitClasses) {
        try {
            Path directory = configuredDirectory();
            if (directory == null) {
                return null;
            }
            return new TransformCache(directory, kitFingerprint(kitClasses), jdkIdentity());
        } catch (IOException | RuntimeException unusable) {
            return null; // no cache: the bytes are computed, as in the first JVM
        }
    }

    Path directory() {
        return directory;
    }

    private volatile boolean storedAny;

    /** Whether this JVM stored an entry. */
    boolean storedAny() {
        return storedAny;
    }

    /** The stored result for this class file, or {@code null}; {@link #UNCHANGED} when the weaving leaves it as it is. */
    byte[] lookup(String internalName, byte[] classFile) {
        byte[] original = canonical(classFile);
        if (original == null) {
            return null;
        }
        Path entry = entry(internalName, original);
        byte[] content;
        try {
            content = Files.readAllBytes(entry);
        } catch (IOException | RuntimeException absent) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(content))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !in.readUTF().equals(internalName)
                    || !in.readUTF().equals(kit) || !in.readUTF().equals(jdk)) {
                return null;
            }
            byte[] input = new byte[in.readInt()];
            in.readFully(input);
            if (!Arrays.equals(input, original)) {
                return null; // another class file with the same name and checksum: never used
            }
            int length = in.readInt();
            long checksum = in.readLong();
            if (length < 0 || length > content.length) {
                return null;
            }
            byte[] output = new byte[length];
            in.readFully(output);
            if (in.read() != -1 || checksum(output) != checksum) {
                return null;
            }
            return length == 0 ? UNCHANGED : output;
        } catch (IOException | RuntimeException corrupt) {
            return null;
        }
    }

    /** Marks a class file that the weaving leaves unchanged. */
    static final byte[] UNCHANGED = new byte[0];

    /** Stores a result ({@code null}: unchanged); never fails the installation. */
    void store(String internalName, byte[] classFile, byte[] transformed) {
        sweep();
        byte[] output = transformed == null ? UNCHANGED : transformed;
        byte[] original = canonical(classFile);
        if (original == null) {
            return;
        }
        Path entry = entry(internalName, original);
        Path partial = null;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(original.length + output.length + 512);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(internalName);
                out.writeUTF(kit);
                out.writeUTF(jdk);
                out.writeInt(original.length);
                out.write(original);
                out.writeInt(output.length);
                out.writeLong(checksum(output));
                out.write(output);
            }
            partial = Files.createTempFile(directory, entry.getFileName().toString(), ".partial");
            Files.write(partial, bytes.toByteArray());
            Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            storedAny = true;
        } catch (AtomicMoveNotSupportedException noAtomicMove) {
            // a file system without atomic renames: no cache entry rather than a torn one
        } catch (IOException | RuntimeException unwritable) {
            // a read-only or full disk: the next JVM computes the bytes again
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException | RuntimeException ignored) {
                    // a stray temporary file, never read as an entry
                }
            }
        }
    }

    private static final long UNUSED_FOR = java.util.concurrent.TimeUnit.DAYS.toMillis(30);
    private static final long ABANDONED_AFTER = java.util.concurrent.TimeUnit.HOURS.toMillis(1);
    private boolean swept;

    /**
     * Once per JVM, and only when it computes bytes anyway (seconds): deletes the entries of other kits and JDKs not
     * written for a month, and temporary files a killed JVM left. An entry still in use is at worst computed again.
     */
    private synchronized void sweep() {
        if (swept) {
            return;
        }
        swept = true;
        long now = System.currentTimeMillis();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long age = now - Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
                if ((name.endsWith(".bin") && age > UNUSED_FOR) || (name.endsWith(".partial") && age > ABANDONED_AFTER)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // another JVM sweeping at the same time, or a file that went away: nothing to keep
        }
    }

    /** Removes an entry whose bytes the JVM refused (it is then computed again). */
    void evict(String internalName, byte[] classFile) {
        byte[] original = canonical(classFile);
        try {
            if (original != null) {
                Files.deleteIfExists(entry(internalName, original));
            }
        } catch (IOException | RuntimeException ignored) {
            // the next JVM finds it and fails the same way, then computes the bytes
        }
    }

    /**
     * The class file with its methods in one order (by their bytes), or {@code null} if it cannot be read. A JVM hands
     * a retransformation the class file it rebuilds from the loaded class, methods in the order of their names'
     * addresses in memory: a class that is not in the JDK's shared archive comes with its methods in another order
     * in every JVM, and is otherwise the same to the byte. The woven bytes of one order are the woven bytes of any
     * (a retransformation may reorder methods; it may not change them), so the entry is the class with its methods
     * sorted, compared in full.
     */
    static byte[] canonical(byte[] classFile) {
        try {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(classFile);
            if (in.getInt() != 0xCAFEBABE) {
                return null;
            }
            in.position(8);
            int constants = Short.toUnsignedInt(in.getShort());
            for (int index = 1; index < constants; index++) {
                int tag = in.get();
                switch (tag) {
                    case 1: skip(in, Short.toUnsignedInt(in.getShort())); break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: skip(in, 4); break;
                    case 5: case 6: skip(in, 8); index++; break;
                    case 7: case 8: case 16: case 19: case 20: skip(in, 2); break;
                    case 15: skip(in, 3); break;
                    default: return null;
                }
            }
            skip(in, 6);
            skip(in, 2 * Short.toUnsignedInt(in.getShort()));
            skipMembers(in, Short.toUnsignedInt(in.getShort()));
            int methods = Short.toUnsignedInt(in.getShort());
            int start = in.position();
            byte[][] members = new byte[methods][];
            for (int i = 0; i < methods; i++) {
                int from = in.position();
                skipMembers(in, 1);
                members[i] = Arrays.copyOfRange(classFile, from, in.position());
            }
            int end = in.position();
            Arrays.sort(members, BY_BYTES);
            byte[] canonical = classFile.clone();
            int at = start;
            for (byte[] member : members) {
                System.arraycopy(member, 0, canonical, at, member.length);
                at += member.length;
            }
            return at == end ? canonical : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** A class, not a lambda: no method handle machinery to start up in a cold JVM for this. */
    private static final java.util.Comparator<byte[]> BY_BYTES = new java.util.Comparator<>() {
        @Override
        public int compare(byte[] one, byte[] other) {
            return Arrays.compareUnsigned(one, other);
        }
    };

    private static void skip(java.nio.ByteBuffer in, int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative length");
        }
        in.position(in.position() + bytes);
    }

    private static void skipMembers(java.nio.ByteBuffer in, int count) {
        for (int i = 0; i < count; i++) {
            skip(in, 6);
            int attributes = Short.toUnsignedInt(in.getShort());
            for (int a = 0; a < attributes; a++) {
                skip(in, 2);
                skip(in, in.getInt());
            }
        }
    }

    private Path entry(String internalName, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original, 0, original.length);
        String key = new StringBuilder(kit).append('|').append(jdk).append('|').append(original.length).append('|')
                .append(crc.getValue()).toString(); // not '+': no invokedynamic to link while installing
        return directory.resolve(new StringBuilder(internalName.substring(internalName.lastIndexOf('/') + 1).replace('$', '-'))
                .append('-').append(fingerprint(key.getBytes(StandardCharsets.UTF_8))).append(".bin").toString());
    }

    private static long checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        Adler32 adler = new Adler32();
        adler.update(bytes, 0, bytes.length);
        return crc.getValue() << 32 | adler.getValue();
    }

    private static String fingerprint(byte[] bytes) {
        return new StringBuilder(Long.toHexString(checksum(bytes))).append(Integer.toHexString(bytes.length)).toString();
    }

    /**
     * What the weaving is made of: the named kit classes (the advice, the weaving, the adapters) and Byte Buddy's
     * advice and type writer classes and version. From a jar, each entry's CRC-32 and size as its central directory records them
     * (nothing is inflated; the class loader has the jar open already); from a directory (an IDE's or the build's
     * classes), each file's CRC-32 and Adler-32. No {@code MessageDigest}: its first use costs a cold JVM tens of
     * milliseconds.
     */
    private static String kitFingerprint(List<String> kitClasses) throws IOException {
        String byteBuddy = ClassReader.class.getName();
        byteBuddy = byteBuddy.substring(0, byteBuddy.length() - "jar.asm.ClassReader".length()).replace('.', '/');
        List<String> byteBuddyClasses = List.of(new StringBuilder(byteBuddy).append("asm/Advice.class").toString(),
                new StringBuilder(byteBuddy).append("dynamic/scaffold/TypeWriter$Default.class").toString());
        CRC32 crc = new CRC32();
        Adler32 adler = new Adler32();
        add(crc, adler, location(TransformCache.class), kitClasses, false);
        add(crc, adler, location(ClassReader.class), byteBuddyClasses, false);
        // Byte Buddy's version, where its jar says it (kept in the container's agent jar too)
        add(crc, adler, location(ClassReader.class), List.of("META-INF/maven/net.bytebuddy/byte-buddy/pom.properties"), true);
        return new StringBuilder(Long.toHexString(crc.getValue() << 32 | adler.getValue())).append('-')
                .append(kitClasses.size()).toString();
    }

    private static Path location(Class<?> type) throws IOException {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("no code source for " + type.getName());
        }
        try {
            return Paths.get(source.getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate " + type.getName(), e);
        }
    }

    private static void add(CRC32 crc, Adler32 adler, Path location, List<String> resources, boolean optional)
            throws IOException {
        if (Files.isDirectory(location)) {
            for (String resource : resources) {
                Path file = location.resolve(resource);
                if (optional && !Files.exists(file)) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                update(crc, adler, resource, bytes.length);
                crc.update(bytes, 0, bytes.length);
                adler.update(bytes, 0, bytes.length);
            }
            return;
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            for (String resource : resources) {
                ZipEntry entry = jar.getEntry(resource);
                if (optional && entry == null) {
                    continue;
                }
                if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                    throw new IOException("missing " + resource);
                }
                update(crc, adler, resource, entry.getSize());
                long entryCrc = entry.getCrc();
                for (int shift = 0; shift < 64; shift += 8) {
                    crc.update((int) (entryCrc >>> shift));
                    adler.update((int) (entryCrc >>> shift));
                }
            }
        }
    }

    private static void update(CRC32 crc, Adler32 adler, String name, long size) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        crc.update(bytes, 0, bytes.length);
        adler.update(bytes, 0, bytes.length);
        for (int shift = 0; shift < 64; shift += 8) {
            crc.update((int) (size >>> shift));
            adler.update((int) (size >>> shift));
        }
    }

    private static String jdkIdentity() {
        return String.join(";", System.getProperty("java.vm.vendor", "?"), System.getProperty("java.vm.version", "?"),
                System.getProperty("java.runtime.version", "?"), System.getProperty("java.home", "?"),
                System.getProperty("os.arch", "?"));
    }

    private static Path configuredDirectory() throws IOException {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            if (configured.equalsIgnoreCase("none") || configured.equalsIgnoreCase("false")) {
                return null;
            }
            Path directory = Paths.get(configured);
            Files.createDirectories(directory);
            return Files.isWritable(directory) ? directory : null;
        }
        Path directory = UserCache.directory("graceful-shutdown-junit");
        return directory != null ? directory : privateTemporaryDirectory(); // a container's user without a home
    }

    /** {@code java.io.tmpdir/graceful-shutdown-junit-<user>}, this user's and writable by no one else, or {@code null}. */
    private static Path privateTemporaryDirectory() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path directory = Paths.get(System.getProperty("java.io.tmpdir"), "graceful-shutdown-junit-" + user);
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // checked below like any existing one
            }
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        Path probe = Files.createTempFile(directory, "owner", ".probe");
        try {
            boolean mine = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(probe));
            boolean private_ = !permissions.contains(PosixFilePermission.GROUP_WRITE)
                    && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
            return mine && private_ ? directory : null;
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
