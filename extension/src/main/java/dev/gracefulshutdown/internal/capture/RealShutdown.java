package dev.gracefulshutdown.internal.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The kit inside a JVM that really shuts down: a forked child (forked mode) or an application in a container
 * (the agent's {@code record=} argument). Capture works as in-process, but hooks are installed in the real
 * JVM, exits really exit, and what the application created is written to a file as the real shutdown goes
 * on: every few milliseconds once it has started, and a last time from inside {@code java.lang.Shutdown.halt}.
 * So work cut off by the real halt shows up as cut off.
 */
public final class RealShutdown {

    /** System property naming the directory the child writes to; set only in a forked child. */
    public static final String DIRECTORY_PROPERTY = "gracefulshutdown.fork.directory";
    /** The file that holds the latest snapshot, in the {@link RecordingFormat}. */
    public static final String SNAPSHOT_FILE = "inventory.recording";
    /** Written instead when the agent could not record the application (container mode); holds the reason. */
    public static final String AGENT_FAILED_FILE = "agent-failed.txt";
    /** Written by a recording agent that computed woven classes and stored them in its cache (worth copying out). */
    public static final String AGENT_CACHE_STORED_FILE = "agent-cache-stored";
    private static final long OBSERVER_PERIOD_MILLIS = 20;
    private static final long MAIN_RETURNED_PERIOD_MILLIS = 100;
    private static final long PID = ProcessHandle.current().pid();

    private static volatile String directory = System.getProperty(DIRECTORY_PROPERTY);
    private static volatile Scope scope;
    private static volatile boolean observing;
    private static volatile Moment observedPhase;
    private static volatile long observedPeriodMillis;
    private static volatile boolean recordingApplication;

    /** When a snapshot was taken, in the words of the marker files and of messages ({@link #word()}). */
    public enum Moment {
        /** An application, as the agent starts. */
        RUNNING("running"),
        /** A forked test's method returned; the parent sends SIGTERM. */
        READY("ready"),
        /** A forked test's application is about to call {@code System.exit}. */
        EXITING("exiting"),
        /** {@code main} returned; the JVM waits for its non-daemon threads. */
        MAIN_RETURNED("main-returned"),
        /** The JVM runs its shutdown hooks. */
        SHUTDOWN("shutdown"),
        /** The JVM halts. */
        HALT("halt");

        private final String word;

        Moment(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** The moment a word names ({@code "main-returned"}). */
        public static Moment of(String word) {
            for (Moment moment : values()) {
                if (moment.word.equals(word)) {
                    return moment;
                }
            }
            throw new IllegalArgumentException("no snapshot moment is called '" + word + "'");
        }
    }

    /**
     * What the parent reads.
     *
     * @param phase when it was taken
     * @param pid the JVM's process id (in a container: in the container's process namespace)
     * @param inventory the inventory at that moment
     * @param captureIncomplete why the capture was incomplete (the kit's own failure, e.g. an earlier snapshot that
     *     could not be written), or {@code null} when it was complete
     * @param shutdownStartedAtNanos when the JVM began its shutdown (its hooks), on the clock of the captured moments
     *     (since the test's capture opened), or {@link dev.gracefulshutdown.CapturedThread#NOT_SEEN}
     * @param takenAtNanos when this snapshot was taken, on the same clock
     */
    public record Snapshot(Moment phase, long pid, Inventory inventory, String captureIncomplete, long shutdownStartedAtNanos,
            long takenAtNanos) {

        public Snapshot(Moment phase, long pid, Inventory inventory) {
            this(phase, pid, inventory, null);
        }

        public Snapshot(Moment phase, long pid, Inventory inventory, String captureIncomplete) {
            this(phase, pid, inventory, captureIncomplete, dev.gracefulshutdown.CapturedThread.NOT_SEEN,
                    dev.gracefulshutdown.CapturedThread.NOT_SEEN);
        }

        /**
         * The timings of the shutdown this snapshot ends, with its moments for the timeline: the trigger (the start of
         * the JVM's shutdown, a signal's or an exit's; unknown for {@code MAIN_RETURN}, whose shutdown begins only once
         * the non-daemon threads have ended) and the halt (this last snapshot, taken from inside the JVM's halt).
         */
        public dev.gracefulshutdown.ShutdownReport.Timings timings(java.time.Duration hooks, java.time.Duration total,
                dev.gracefulshutdown.ShutdownTrigger trigger) {
            boolean triggerSeen = shutdownStartedAtNanos > 0 && trigger != dev.gracefulshutdown.ShutdownTrigger.MAIN_RETURN;
            return new dev.gracefulshutdown.ShutdownReport.Timings(java.time.Duration.ZERO, hooks, total,
                    triggerSeen ? java.time.Duration.ofNanos(shutdownStartedAtNanos) : null,
                    takenAtNanos > 0 ? java.time.Duration.ofNanos(takenAtNanos) : null);
        }

        /** Whether the JVM had begun its shutdown sequence (hooks, then the halt) when this was taken. */
        public boolean shutdownBegun() {
            return phase == Moment.SHUTDOWN || phase == Moment.HALT;
        }

        /**
         * Reads a snapshot written by {@link #write}, as plain data: the file may come from a container, where
         * anything can have replaced it.
         *
         * @throws RecordingFormat.UntrustedRecording with the reason, when it is not a recording this kit wrote
         */
        public static Snapshot read(InputStream in) throws RecordingFormat.UntrustedRecording {
            return RecordingFormat.read(in);
        }
    }

    private RealShutdown() {
    }

    public static boolean active() {
        return directory != null;
    }

    /**
     * Records a whole application to {@code recordTo}: its {@code main} thread is the scope's main (the agent's
     * {@code premain} runs on it, before {@code main}).
     */
    static void recordApplication(Path recordTo, Scope application) {
        directory = recordTo.toString();
        Capture.updateGate();
        recordingApplication = true;
        adopt(application);
        write(Moment.RUNNING); // a JVM that never begins its shutdown leaves this, or a main-returned snapshot, behind
    }

    /** The scope of the one test this child runs. */
    public static void adopt(Scope testScope) {
        scope = testScope;
    }

    static Scope scope() {
        return scope;
    }

    /** Whether this JVM records a whole application (container mode) rather than one forked test. */
    static boolean recordsApplication() {
        return recordingApplication;
    }

    /** The JVM starts its shutdown hooks: from now on, snapshots every few milliseconds. */
    static void shutdownStarting() {
        Scope current = scope;
        if (current != null) {
            current.beginShutdown();
            write(Moment.SHUTDOWN);
            startObserver(Moment.SHUTDOWN);
        }
    }

    /** How long the halt waits for a task that threw to hand the kit its exception (its worker's last steps). */
    private static final long HALT_SETTLE_MILLIS = 50;

    /** The hooks have ended, or the JVM halts: the last snapshot, taken where the JVM stops. */
    static void halting() {
        if (scope != null) {
            observing = false;
            scope.awaitFailuresLeavingTheirWorkers(TimeUnit.MILLISECONDS.toNanos(HALT_SETTLE_MILLIS));
            write(Moment.HALT);
        }
    }

    /** Snapshots every few milliseconds on a daemon thread, e.g. while the JVM waits for non-daemon threads. */
    public static void startObserver(Moment phase) {
        observe(phase, OBSERVER_PERIOD_MILLIS);
    }

    /**
     * The recorded application's {@code main} returned: from now on the JVM exits when no non-daemon thread is
     * left, and snapshots (at a calmer pace, the application may run on for long) show which ones are.
     */
    static void applicationMainReturned() {
        observe(Moment.MAIN_RETURNED, MAIN_RETURNED_PERIOD_MILLIS);
    }

    /** Starts the observer, or gives the running one a new phase and period. */
    private static synchronized void observe(Moment phase, long periodMillis) {
        if (scope == null) {
            return;
        }
        observedPhase = phase;
        observedPeriodMillis = periodMillis;
        if (observing) {
            return;
        }
        observing = true;
        Thread observer = new Thread(() -> {
            while (observing) {
                write(observedPhase);
                try {
                    TimeUnit.MILLISECONDS.sleep(observedPeriodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "graceful-shutdown-observer");
        observer.setDaemon(true);
        observer.start();
    }

    /** Writes a snapshot atomically: the parent never reads half a file, even after a SIGKILL. */
    public static synchronized void write(Moment phase) {
        Scope current = scope;
        String target = directory;
        if (current == null || target == null) {
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
            long now = System.nanoTime();
            Inventory inventory = Portable.of(current.snapshot(started, running, now));
            Path into = Path.of(target);
            Throwable failure = current.captureFailure();
            byte[] recording = RecordingFormat.write(new Snapshot(phase, PID, inventory, failure == null ? null : failure.toString(),
                    current.sinceOpened(current.shutdownStartedNanos()), current.sinceOpened(now)));
            Path temporary = Files.createTempFile(into, "inventory", ".tmp");
            Files.write(temporary, recording);
            Files.move(temporary, into.resolve(SNAPSHOT_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            current.captureFailed(new IllegalStateException("could not write the " + phase.word() + " snapshot to " + target + ": " + e, e));
            System.err.println("graceful-shutdown-junit: could not write the snapshot: " + e);
        }
    }
}
