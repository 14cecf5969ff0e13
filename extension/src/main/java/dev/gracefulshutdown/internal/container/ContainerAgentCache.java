package dev.gracefulshutdown.internal.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import dev.gracefulshutdown.internal.capture.UserCache;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The agent's cache of woven JDK classes, carried from one container to the next. A container's JVM starts with an
 * empty cache, so its agent computes the woven classes (about a second on a cold JVM); the kit copies what that agent
 * stored out of the stopped container, and into every later container, whose agent then uses the entries that match
 * its own JDK and kit exactly (each entry holds the class file it was computed from, and is checked byte for byte).
 *
 * <p>The entries are only ever copied, never read, by the test JVM: they go into a directory of their own that the
 * test JVM's agent never uses ({@code graceful-shutdown-junit-containers} beside the kit's own cache), so nothing a
 * container wrote runs in the test JVM. Only plain files with an entry's name and size are taken, up to a bound.
 */
public final class ContainerAgentCache {

    /** Where the agent keeps its cache in the container. */
    public static final String IN_CONTAINER = "/graceful-shutdown-junit/cache";

    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9._$-]{1,200}\\.bin");
    private static final long MAX_ENTRY_BYTES = 4L << 20;
    private static final int MAX_ENTRIES = 256;

    private ContainerAgentCache() {
    }

    /** The host's directory of container cache entries, created if needed; {@code null} if there is no usable one. */
    public static Path hostDirectory() {
        return UserCache.directory("graceful-shutdown-junit-containers");
    }

    /**
     * Keeps the entries of a container's cache, read from the tar archive Docker gives of its directory: new names
     * only (an entry is the same bytes for the same name), each written whole and moved into place.
     */
    public static void keep(InputStream archive, Path hostDirectory) throws IOException {
        int seen = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null && seen < MAX_ENTRIES; entry = tar.getNextEntry()) {
                Path file = Paths.get(entry.getName()).getFileName();
                String name = file == null ? "" : file.toString();
                if (!entry.isFile() || !ENTRY.matcher(name).matches() || entry.getSize() > MAX_ENTRY_BYTES) {
                    continue;
                }
                seen++;
                Path target = hostDirectory.resolve(name);
                if (Files.exists(target)) {
                    continue;
                }
                byte[] bytes = tar.readNBytes((int) entry.getSize());
                Path partial = Files.createTempFile(hostDirectory, name, ".partial");
                try {
                    Files.write(partial, bytes);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException skipped) {
                    // another test JVM kept the same entry a moment earlier, or no atomic rename: no torn entry
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        }
    }

    /** Whether the host has entries to give a new container. */
    public static boolean hasEntries(Path hostDirectory) {
        try (java.util.stream.Stream<Path> files = Files.list(hostDirectory)) {
            return files.anyMatch(file -> ENTRY.matcher(file.getFileName().toString()).matches());
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
