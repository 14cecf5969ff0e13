package dev.gracefulshutdown.internal.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * This user's cache directories: {@code $XDG_CACHE_HOME/<name>} when it is set to an absolute path, else
 * {@code ~/.cache/<name>}. Used while the agent installs: no lambda and no string concatenation to link.
 */
public final class UserCache {

    private UserCache() {
    }

    /** The directory, created if needed; {@code null} without a home, or when it cannot be created or written. */
    public static Path directory(String name) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path base = xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute() ? Paths.get(xdg)
                : home == null || home.isBlank() || home.equals("?") ? null : Paths.get(home, ".cache");
        if (base == null) {
            return null;
        }
        try {
            Path directory = base.resolve(name);
            Files.createDirectories(directory);
            return Files.isWritable(directory) ? directory : null;
        } catch (IOException | RuntimeException noHome) {
            return null; // a container's user without a home
        }
    }
}
