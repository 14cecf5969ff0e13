package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** When the agent can neither attach nor was loaded with -javaagent, the test fails and names the flag to add. */
class AgentUnavailableTest {

    @Test
    void aJvmThatForbidsAttachingGetsAnErrorNamingTheJavaagentFlag() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:+DisableAttachMechanism",
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName())
                .redirectErrorStream(true).start();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            child.destroyForcibly();
        }

        assertThat(ended).as("the child JVM ended").isTrue();
        assertThat(output)
                .contains("FAILED " + ExtensionConfigurationException.class.getName())
                .contains("graceful-shutdown-junit cannot capture threads and executors")
                .contains("add -javaagent:/path/to/graceful-shutdown-junit.jar to the test JVM");
        assertThat(output).doesNotContain("BODY RAN");
    }

    /** Runs one fixture in a JVM where self-attach is impossible. */
    public static final class ChildMain {
        public static void main(String[] args) {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(TestCases.class)).build(), summary);
            List<?> failures = summary.getSummary().getFailures();
            summary.getSummary().getFailures().forEach(f -> System.out.println("FAILED " + f.getException().getClass().getName()
                    + ": " + f.getException().getMessage()));
            System.out.println("failures: " + failures.size() + File.separator);
        }
    }

    @GracefulShutdownTest
    static class TestCases {
        @Test
        void anything() {
            System.out.println("BODY RAN");
        }
    }
}
