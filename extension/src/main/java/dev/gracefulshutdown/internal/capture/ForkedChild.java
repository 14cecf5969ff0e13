package dev.gracefulshutdown.internal.capture;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The kit inside a forked child JVM (forked mode): capture works as in-process, but hooks are installed in
 * the real JVM, exits really exit, and what the application created is written to a file as the real
 * shutdown goes on: every few milliseconds once it has started, and a last time from inside
 * {@code java.lang.Shutdown.halt}. So work cut off by the real halt shows up as cut off.
 */
public final class ForkedChild {

    /** System property naming the directory the child writes to; set only in a forked child. */
    public static final String DIRECTORY_PROPERTY = "gracefulshutdown.fork.directory";
    /** The file that holds the latest snapshot. */
    public static final String SNAPSHOT_FILE = "inventory.bin";
    private static final long OBSERVER_PERIOD_MILLIS = 20;

    private static final String DIRECTORY = System.getProperty(DIRECTORY_PROPERTY);
    private static volatile Scope scope;
    private static volatile boolean observing;

    /**
     * What the parent reads.
     *
     * @param phase when it was taken: {@code ready}, {@code exiting}, {@code main-returned}, {@code shutdown}, {@code halt}
     * @param inventory the inventory at that moment
     */
    public record Snapshot(String phase, Inventory inventory) implements Serializable {
    }

    private ForkedChild() {
    }

    public static boolean active() {
        return DIRECTORY != null;
    }

    /** The scope of the one test this child runs. */
    public static void adopt(Scope testScope) {
        scope = testScope;
    }

    static Scope scope() {
        return scope;
    }

    /** The JVM starts its shutdown hooks: from now on, snapshots every few milliseconds. */
    static void shutdownStarting() {
        Scope current = scope;
        if (current != null) {
            current.beginShutdown();
            write("shutdown");
            startObserver("shutdown");
        }
    }

    /** The hooks have ended, or the JVM halts: the last snapshot, taken where the JVM stops. */
    static void halting() {
        if (scope != null) {
            observing = false;
            write("halt");
        }
    }

    /** Snapshots every few milliseconds on a daemon thread, e.g. while the JVM waits for non-daemon threads. */
    public static synchronized void startObserver(String phase) {
        if (observing || scope == null) {
            return;
        }
        observing = true;
        Thread observer = new Thread(() -> {
            while (observing) {
                write(phase);
                try {
                    TimeUnit.MILLISECONDS.sleep(OBSERVER_PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "graceful-shutdown-fork-observer");
        observer.setDaemon(true);
        observer.start();
    }

    /** Writes a snapshot atomically: the parent never reads half a file, even after a SIGKILL. */
    public static synchronized void write(String phase) {
        Scope current = scope;
        if (current == null || DIRECTORY == null) {
            return;
        }
        try {
            List<LiveHook> started = new ArrayList<>();
            Set<LiveHook> running = new HashSet<>();
            for (LiveHook hook : current.registeredHooks()) {
                if (hook.startedNanos() != 0) {
                    started.add(hook);
                    if (hook.thread().isAlive()) {
                        running.add(hook);
                    }
                }
            }
            Inventory inventory = Portable.of(current.snapshot(started, running, System.nanoTime()));
            Path directory = Path.of(DIRECTORY);
            Path temporary = Files.createTempFile(directory, "inventory", ".tmp");
            try (OutputStream file = Files.newOutputStream(temporary);
                    ObjectOutputStream out = new ObjectOutputStream(file)) {
                out.writeObject(new Snapshot(phase, inventory));
            }
            Files.move(temporary, directory.resolve(SNAPSHOT_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            System.err.println("graceful-shutdown-junit (forked child): could not write the snapshot: " + e);
        }
    }
}
