package dev.gracefulshutdown.internal.fork;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.internal.capture.AgentInstaller;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.capture.RecordingFormat;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.http.ForkedTraffic;
import dev.gracefulshutdown.internal.judge.RecordedShutdown;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Ending;
import dev.gracefulshutdown.internal.judge.RecordedShutdown.Host;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.internal.report.ExitCodes;
import dev.gracefulshutdown.internal.report.IncompleteCaptureException;
import dev.gracefulshutdown.internal.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Forked mode, the parent's side: runs one test method in a fresh child JVM (same {@code java}, same class
 * path, the kit's agent), shuts the child down for real and judges what it recorded, like an orchestrator
 * would: {@code SIGTERM} is a real signal ({@code Process.destroy()}), and past the grace period the child is
 * killed ({@code SIGKILL}). Every wait is bounded.
 */
public final class ForkedRun {

    private static final Duration START_BOUND = Duration.ofSeconds(120);
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final int OUTPUT_TAIL_CHARS = 4000;
    private static final long POLL_MILLIS = 10;

    private ForkedRun() {
    }

    /**
     * @param test the test, as messages name it
     * @throws IncompleteCaptureException when the child's recording is missing, cannot be trusted, or says the
     *     capture in the child was incomplete
     */
    public static ShutdownReport run(String uniqueId, String test, Settings settings) {
        Path directory = null;
        Process child = null;
        ForkedTraffic.Parent traffic = null;
        try {
            directory = Files.createTempDirectory("graceful-shutdown-fork");
            traffic = ForkedTraffic.parent(directory, settings.gracePeriod());
            Path output = directory.resolve("output.txt");
            long started = System.nanoTime();
            child = new ProcessBuilder(command(uniqueId, settings, directory))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            Outcome outcome = shutDown(child, directory, settings, traffic);
            Duration runTime = Duration.ofNanos(System.nanoTime() - started);
            String tail = tail(output);
            if (Files.exists(directory.resolve(ForkedMain.TEST_FAILED))) {
                throw new AssertionError("the test failed in the forked JVM:\n"
                        + Files.readString(directory.resolve(ForkedMain.TEST_FAILED)));
            }
            RecordingFormat.Recording recording = RecordingFormat.Recording.in(directory.resolve(RealShutdown.SNAPSHOT_FILE));
            if (recording.snapshot() == null) {
                throw new IncompleteCaptureException(test, (recording.untrusted() ? recording.untrustedBecause()
                        : "the forked JVM recorded nothing") + " (exit code " + outcome.exitCode + "); its output ends with:\n" + tail,
                        null);
            }
            if (recording.snapshot().captureIncomplete() != null) {
                throw new IncompleteCaptureException(test, "in the forked JVM: " + recording.snapshot().captureIncomplete(), null);
            }
            return judge(recording.snapshot(), outcome, settings, runTime, tail, traffic);
        } catch (IOException e) {
            throw new IllegalStateException("could not run the forked JVM: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the forked JVM", e);
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            if (traffic != null) {
                traffic.close();
            }
            delete(directory);
        }
    }

    private static List<String> command(String uniqueId, Settings settings, Path directory) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        Path kit = kitLocation();
        if (kit != null && kit.toString().endsWith(".jar")) {
            command.add("-javaagent:" + kit);
        } else {
            command.add("-XX:+IgnoreUnrecognizedVMOptions");
            command.add("-XX:+EnableDynamicAgentLoading");
        }
        command.add("-D" + RealShutdown.DIRECTORY_PROPERTY + "=" + directory);
        if (!KnownLibraries.named().isEmpty()) {
            command.add("-D" + KnownLibraries.PROPERTY + "=" + KnownLibraries.named()); // the child captures with the same list
        }
        // Spring 7's test context cache pauses (stops) a context once its test class is done: in the child that would
        // stop the application before main returns, which no production JVM does
        command.add("-Dspring.test.context.cache.pause=never");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ForkedMain.class.getName());
        command.add(uniqueId);
        command.add(settings.trigger().name());
        command.add("0");
        return command;
    }

    private static Path kitLocation() {
        try {
            return Paths.get(AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception unknown) {
            return null;
        }
    }

    /** What the orchestrator saw: how the child ended, and whether it had to kill it. */
    private record Outcome(Integer exitCode, boolean killed, boolean shutdownStarted, Duration shutdownTook) {
    }

    /**
     * Waits for the end of the test method (starting the traffic the child asks for meanwhile), sends the trigger and
     * waits for the child to end, killing it where an orchestrator would; tells the traffic when the shutdown began and
     * when the JVM was gone.
     */
    private static Outcome shutDown(Process child, Path directory, Settings settings, ForkedTraffic.Parent traffic)
            throws InterruptedException, IOException {
        Outcome outcome = signalAndWait(child, directory, settings, traffic);
        traffic.halted(System.nanoTime());
        return outcome;
    }

    private static Outcome signalAndWait(Process child, Path directory, Settings settings, ForkedTraffic.Parent traffic)
            throws InterruptedException, IOException {
        ShutdownTrigger trigger = settings.trigger();
        String marker = trigger == ShutdownTrigger.SIGTERM ? ForkedMain.READY
                : trigger == ShutdownTrigger.EXIT ? ForkedMain.EXITING : ForkedMain.MAIN_RETURNED;
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!Files.exists(directory.resolve(marker)) && child.isAlive() && System.nanoTime() < deadline) {
            traffic.poll();
            child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        traffic.poll(); // what the child asked for just before it reached the end
        if (child.isAlive() && !Files.exists(directory.resolve(marker))) {
            throw new IllegalStateException("the forked JVM did not reach the end of the test method within " + Durations.format(START_BOUND));
        }
        long shutdownStart = System.nanoTime();
        traffic.triggered(shutdownStart);
        if (trigger == ShutdownTrigger.SIGTERM && child.isAlive()) {
            child.destroy(); // SIGTERM on Linux and macOS
        }
        Duration bound = settings.gracePeriod();
        if (trigger == ShutdownTrigger.MAIN_RETURN) {
            // first the JVM waits for non-daemon threads (bounded by the exit timeout), then the hooks run
            if (!child.waitFor(settings.exitTimeout().toNanos(), TimeUnit.NANOSECONDS) && !shutdownStarted(directory)) {
                child.destroyForcibly().waitFor(SLACK.toMillis(), TimeUnit.MILLISECONDS);
                return new Outcome(null, true, false, Duration.ofNanos(System.nanoTime() - shutdownStart));
            }
        }
        boolean ended = child.waitFor(bound.plus(SLACK).toNanos(), TimeUnit.NANOSECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor(SLACK.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(ExitCodes.SIGKILL, true, true, Duration.ofNanos(System.nanoTime() - shutdownStart));
        }
        return new Outcome(child.exitValue(), false, true, Duration.ofNanos(System.nanoTime() - shutdownStart));
    }

    private static boolean shutdownStarted(Path directory) {
        RealShutdown.Snapshot snapshot = RecordingFormat.Recording.in(directory.resolve(RealShutdown.SNAPSHOT_FILE)).snapshot();
        return snapshot != null && snapshot.shutdownBegun();
    }

    private static ShutdownReport judge(RealShutdown.Snapshot snapshot, Outcome outcome, Settings settings, Duration runTime,
            String tail, ForkedTraffic.Parent traffic) {
        Ending ending = !outcome.killed ? Ending.EXITED
                : outcome.shutdownStarted ? Ending.KILLED_AT_GRACE_END : Ending.KILLED_AT_EXIT_TIMEOUT;
        int exitCode = outcome.exitCode == null ? ExitCodes.SIGKILL : outcome.exitCode;
        ShutdownReport.Timings timings = snapshot.timings(outcome.shutdownTook, outcome.shutdownTook, settings.trigger());
        Report report = RecordedShutdown.judge(settings, snapshot,
                new RecordedShutdown.Outside(Host.FORKED_JVM, settings.trigger(), exitCode, ending, timings, null)).report();
        return Report.withClientViolations(report.withForkedJvm(new ShutdownReport.ForkedJvm(outcome.exitCode, outcome.killed,
                runTime, tail)), traffic.verdict(settings.trigger(), report.jvmExits()));
    }

    private static String tail(Path output) throws IOException {
        if (!Files.exists(output)) {
            return "";
        }
        String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        return text.length() <= OUTPUT_TAIL_CHARS ? text : text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }


    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
