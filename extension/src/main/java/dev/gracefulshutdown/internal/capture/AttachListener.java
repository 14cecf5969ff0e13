package dev.gracefulshutdown.internal.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts this JVM's attach listener before the JDK's attach client asks for it, so that a self-attach does not wait
 * for it. The client (in this JVM, or in the helper JVM Byte Buddy starts) that finds no listener creates
 * {@code .attach_pid<pid>}, sends {@code SIGQUIT}, and then sleeps 100 ms before it first looks for the listener's
 * socket ({@code VirtualMachineImpl} on Linux, JDK 17 to 25), though HotSpot starts the listener within milliseconds.
 * Done here the same way (the trigger file in {@code /tmp}, where HotSpot looks for it; {@code SIGQUIT} from
 * {@code kill}, as Java cannot raise it; the socket awaited every millisecond, at most 300 ms), the client finds the
 * listener running and connects at once.
 *
 * <p>Only on Linux with HotSpot, and never where {@code SIGQUIT} could do anything else: only when the process catches
 * the signal (not with {@code -Xrs}, where HotSpot leaves it to its default action, which ends the process; read from
 * the signal masks in {@code /proc/self/status}), and only once the trigger file exists (without it, HotSpot would
 * answer with a thread dump). Otherwise nothing happens, and the client starts the listener itself, as before.
 */
final class AttachListener {

    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long KILL_WAIT_MILLIS = 1000;

    private AttachListener() {
    }

    /**
     * Returns once the listener's socket exists (then {@code true}), after at most about a second, or at once where
     * this does not apply. A socket file left by an earlier process with the same pid counts as this JVM's, as it does
     * for the JDK's client.
     */
    static boolean startEarly() {
        if (!onLinux() || !signalIsTheJvms()) {
            return false;
        }
        long pid = ProcessHandle.current().pid();
        Path socket = socket();
        if (Files.exists(socket)) {
            return true; // running already
        }
        Path trigger = Paths.get("/tmp", ".attach_pid" + pid);
        try {
            Files.createFile(trigger);
        } catch (IOException | RuntimeException cannot) {
            return false; // the client creates it, as before
        }
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
            }
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!Files.exists(socket) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return Files.exists(socket);
        } catch (IOException | RuntimeException cannot) {
            // no kill command: the client sends its own signal
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(trigger);
            } catch (IOException ignored) {
                // HotSpot leaves the client's own trigger file the same way
            }
        }
        return false;
    }

    /** Linux, where HotSpot's attach listener is a socket in {@code /tmp} and this way of starting it applies. */
    static boolean onLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** Where HotSpot's attach listener of this JVM listens (in {@code /tmp} whatever {@code java.io.tmpdir} says). */
    static Path socket() {
        return Paths.get("/tmp", ".java_pid" + ProcessHandle.current().pid());
    }

    /**
     * Removes a socket file no listener answers at (left by an earlier process that had this pid), so that this JVM's
     * listener can be started; {@code true} if it was removed.
     */
    static boolean removeStaleSocket() {
        try {
            return Files.deleteIfExists(socket());
        } catch (IOException | RuntimeException cannot) {
            return false;
        }
    }

    /**
     * Whether this process catches {@code SIGQUIT} (HotSpot's handler, absent with {@code -Xrs}) and does not ignore
     * it: the signal masks of {@code /proc/self/status}. Anything unreadable counts as no.
     */
    private static boolean signalIsTheJvms() {
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return false;
        }
        if (attachDisabled()) {
            return false; // HotSpot would answer SIGQUIT with a thread dump, and no listener would start
        }
        long caught = -1;
        long ignored = -1;
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("SigCgt:")) {
                    caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                } else if (line.startsWith("SigIgn:")) {
                    ignored = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
        return caught != -1 && ignored != -1 && (caught & SIGQUIT_BIT) != 0 && (ignored & SIGQUIT_BIT) == 0;
    }

    /** {@code -XX:+DisableAttachMechanism} on the command line or in the JDK's option variables, as far as they tell. */
    private static boolean attachDisabled() {
        StringBuilder options = new StringBuilder();
        try {
            options.append(new String(Files.readAllBytes(Paths.get("/proc/self/cmdline")), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException unreadable) {
            return true;
        }
        for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            String value = System.getenv(variable);
            options.append(' ').append(value == null ? "" : value);
        }
        return options.indexOf("+DisableAttachMechanism") >= 0;
    }

    /** Signal 3 in the masks of {@code /proc/<pid>/status}, where bit {@code n - 1} stands for signal {@code n}. */
    private static final long SIGQUIT_BIT = 1L << 2;
}
