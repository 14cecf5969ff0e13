package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.apps.ReportApp;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.container.AgentJar;
import dev.gracefulshutdown.internal.capture.RecordingFormat;
import dev.gracefulshutdown.internal.container.AgentEvidence;
import dev.gracefulshutdown.internal.container.ContainerVerdict;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a container check uses it, without Docker: a self-contained jar loaded with
 * {@code -javaagent:agent.jar=record=<dir>} by a JVM that has nothing else of the kit, a real {@code SIGTERM},
 * and the verdict from what it recorded.
 */
class AgentRecordModeTest {

    @TempDir
    Path recording;

    @Test
    void theAgentJarCarriesTheKitAndByteBuddyWithTheAgentManifest() throws IOException {
        try (JarFile jar = new JarFile(AgentJar.get().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
                    .isEqualTo("dev.gracefulshutdown.internal.capture.Agent");
            assertThat(jar.getManifest().getMainAttributes().getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(jar.getEntry("dev/gracefulshutdown/internal/capture/Capture.class")).isNotNull();
            assertThat(jar.getEntry("dev/gracefulshutdown/internal/shaded/net/bytebuddy/ByteBuddy.class")).isNotNull();
            assertThat(jar.stream().map(JarEntry::getName)).noneMatch(name -> name.startsWith("net/bytebuddy/"));
            assertThat(jar.getEntry("org/junit/jupiter/api/Test.class")).isNull();
        }
        assertThat(AgentJar.get()).isSameAs(AgentJar.get()); // built once per JVM
    }

    @Test
    void theBuildRelocatedTheAgentJarAndItHoldsWhatARunTimeRelocationWrites() throws IOException {
        Path prebuilt = recording.resolve("prebuilt.jar");
        Path relocated = recording.resolve("relocated.jar");

        assertThat(AgentJar.copyPrebuilt(prebuilt)).as("the build's agent jar, built from these very classes").isTrue();
        AgentJar.relocateTo(relocated);

        assertThat(classes(prebuilt)).isEqualTo(classes(relocated)).hasSizeGreaterThan(1000);
    }

    private static java.util.Map<String, String> classes(Path jarFile) throws IOException {
        java.util.Map<String, String> classes = new java.util.TreeMap<>();
        try (JarFile jar = new JarFile(jarFile.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        classes.put(entry.getName(), java.util.Base64.getEncoder().encodeToString(
                                java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return classes;
    }

    @Test
    void aReportInFlightAtSigtermIsAbandonedAndNamedWhereItWasSubmitted() throws Exception {
        Run run = runUntilSigterm(recording, testClasses());

        assertThat(run.exitCode).isEqualTo(143);
        ShutdownReport report = judge(run);
        assertThat(report.violationKinds()).containsExactly(Violation.Kind.ABANDONED_TASK);
        assertThat(report.toString())
                .startsWith("Graceful shutdown after docker stop (SIGTERM, grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.apps.ReportApp (task#1) on ThreadPoolExecutor#1 "
                        + "was still running on thread \"pool-1-thread-1\" when the JVM halted")
                .contains("submitted at dev.gracefulshutdown.apps.ReportApp.main(ReportApp.java:")
                .contains("container test-app: exit code 143, docker stop took ");
    }

    @Test
    void anApplicationWithItsOwnByteBuddyFirstOnTheClassPathIsRecordedWithTheAgentsByteBuddy(@TempDir Path application)
            throws Exception {
        // A Byte Buddy the agent cannot work with, where an application's own (say Hibernate's) would be
        new ByteBuddy().makeInterface().name("net.bytebuddy.ByteBuddy").make().saveIn(application.toFile());
        new ByteBuddy().makeInterface().name("net.bytebuddy.agent.builder.AgentBuilder$Default").make()
                .saveIn(application.toFile());

        Run run = runUntilSigterm(recording, application + File.pathSeparator + testClasses());

        assertThat(run.output).doesNotContain("the agent cannot record this application");
        assertThat(judge(run).violationKinds()).containsExactly(Violation.Kind.ABANDONED_TASK);
    }

    @Test
    void aHookThatDrainsThePoolMakesTheShutdownClean() throws Exception {
        Run run = runUntilSigterm(recording, testClasses(), "--drain-on-shutdown");

        ShutdownReport report = judge(run);
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.hooks()).singleElement().satisfies(hook -> {
            assertThat(hook.name()).isEqualTo("report-app-shutdown");
            assertThat(hook.outcome()).isEqualTo(CapturedHook.Outcome.COMPLETED);
        });
        assertThat(report.tasks()).singleElement()
                .satisfies(task -> assertThat(task.outcome()).isEqualTo(CapturedTask.Outcome.COMPLETED));
        assertThat(report.container().orElseThrow().coarse()).isFalse();
    }

    @Test
    void anUnknownAgentArgumentStopsTheJvmWithAMessageNamingIt() throws Exception {
        Process java = new ProcessBuilder(java(), "-javaagent:" + AgentJar.get() + "=bogus", "-cp", testClasses(),
                ReportApp.class.getName()).redirectErrorStream(true).start();
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).isNotZero();
        assertThat(new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("unknown agent argument 'bogus'; expected none, or record=<directory>");
    }

    @Test
    void aRecordingDirectoryThatCannotBeCreatedLeavesTheApplicationRunningUnrecorded() throws Exception {
        Path file = Files.writeString(recording.resolve("a-file"), "");
        Run run = runUntilSigterm(file.resolve("below-a-file"), testClasses());

        assertThat(run.output).contains("graceful-shutdown-junit: the agent cannot record this application")
                .contains("ReportApp Started");
        assertThat(run.exitCode).isEqualTo(143);
    }

    private record Run(int exitCode, Duration stopTook, String output, Path recording) {
    }

    /** Starts ReportApp with the agent in record mode, waits until it is ready, sends SIGTERM. */
    private static Run runUntilSigterm(Path recordTo, String classPath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-javaagent:" + AgentJar.get() + "=record=" + recordTo,
                "-cp", classPath, ReportApp.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("report-app", ".log");
        Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("ReportApp Started") || !app.isAlive());
            long stop = System.nanoTime();
            app.destroy(); // SIGTERM, as docker stop sends it
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the application ends after SIGTERM").isTrue();
            return new Run(app.exitValue(), Duration.ofNanos(System.nanoTime() - stop), Files.readString(log), recordTo);
        } finally {
            app.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static ShutdownReport judge(Run run) throws IOException {
        RealShutdown.Snapshot recorded;
        try (InputStream in = Files.newInputStream(run.recording.resolve(RealShutdown.SNAPSHOT_FILE))) {
            recorded = RealShutdown.Snapshot.read(in);
        }
        assertThat(recorded).as("the agent's recording").isNotNull();
        assertThat(recorded.phase()).isEqualTo(RealShutdown.Moment.HALT);
        return ContainerVerdict.afterDockerStop(Settings.forContainer(ShutdownTrigger.SIGTERM, Duration.ofSeconds(5), Duration.ofSeconds(10), List.of()), "test-app",
                new AgentEvidence(true, new RecordingFormat.Recording(recorded, null), null, true), run.exitCode,
                run.exitCode == 137 && run.stopTook.compareTo(Duration.ofSeconds(5)) >= 0, "`java`", run.stopTook, run.output);
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String testClasses() throws Exception {
        return Paths.get(ReportApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
