package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gracefulshutdown.apps.InstallApp;
import dev.gracefulshutdown.internal.container.AgentJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code -javaagent}, the kit attaches its jar to its own JVM through the JVM's attach listener (no helper
 * JVM, no wait for the listener); where that cannot be done safely it falls back to Byte Buddy's attach. Each case is
 * a JVM of its own, which installs the agent and exits.
 */
class SelfAttachTest {

    @TempDir
    Path directory;

    @BeforeEach
    void onLinux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "the attach listener route is Linux's");
    }

    @Test
    void theKitAttachesItselfThroughTheAttachListener() throws Exception {
        Run run = install(List.of());

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("install (self-attach through the JVM's attach listener)");
        assertThat(Paths.get("/tmp", ".attach_pid" + run.pid)).as("the trigger file is removed").doesNotExist();
    }

    @Test
    void aSocketFileLeftByAnEarlyProcessWithTheSamePidIsReplaced() throws Exception {
        Run run = install(List.of(), "stale");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("install (self-attach through the JVM's attach listener)");
    }

    @Test
    void withoutTheJvmsSignalHandlersItAttachesTheUsualWayAndTheJvmLives() throws Exception {
        Run run = install(List.of("-Xrs")); // SIGQUIT would end this JVM: never sent

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("install (self-attach through Byte Buddy)");
    }

    private record Run(int exit, String output, long pid) {
    }

    private Run install(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dgracefulshutdown.agent.timing=true", "-cp",
                AgentJar.get() + java.io.File.pathSeparator + AgentRecordModeTest.testClasses(), InstallApp.class.getName()));
        command.addAll(List.of(args));
        Path output = directory.resolve("output.txt");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!java.waitFor(60, TimeUnit.SECONDS)) {
            java.destroyForcibly();
            throw new AssertionError("the JVM did not exit within 60 s");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        long pid = text.lines().filter(l -> l.startsWith("pid ")).map(l -> Long.parseLong(l.substring(4).trim())).findFirst().orElse(-1L);
        return new Run(java.exitValue(), text, pid);
    }
}
