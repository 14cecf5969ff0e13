package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gracefulshutdown.testcontainers.ContainerShutdown;
import dev.gracefulshutdown.testsupport.HostJdkContainer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/** Misuse of the container API gets a clear error, with no Docker needed to see it. */
class ContainerShutdownConfigurationTest {

    private final GenericContainer<?> notStarted = new GenericContainer<>(HostJdkContainer.IMAGE);

    @Test
    void aGracePeriodThatIsNotWholeSecondsIsRejectedWithItsValue() {
        ContainerShutdown shutdown = ContainerShutdown.withoutAgent(notStarted);
        assertThatThrownBy(() -> shutdown.dockerStop(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dockerStop(gracePeriod): the grace period must be a whole number of seconds, at least 1 s "
                        + "(docker stop -t counts in seconds), but was 1500 ms");
    }

    @Test
    void aZeroOrNegativeGracePeriodIsRejectedWithItsValue() {
        ContainerShutdown shutdown = ContainerShutdown.withoutAgent(notStarted);
        assertThatThrownBy(() -> shutdown.dockerStop(Duration.ZERO)).hasMessageEndingWith("but was 0 s");
        assertThatThrownBy(() -> shutdown.dockerStop(Duration.ofSeconds(-3))).hasMessageEndingWith("but was PT-3S");
        assertThatThrownBy(() -> shutdown.dockerStop(null)).hasMessageEndingWith("but was null");
    }

    @Test
    void aZeroOrNegativeExitTimeoutIsRejectedWithItsValue() {
        ContainerShutdown shutdown = ContainerShutdown.withoutAgent(notStarted);
        assertThatThrownBy(() -> shutdown.awaitExit(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("awaitExit(exitTimeout): the exit timeout must be positive, but was 0 s");
        assertThatThrownBy(() -> shutdown.awaitExit(Duration.ofMillis(-5))).hasMessageEndingWith("but was PT-0.005S");
    }

    @Test
    void waitingForAContainerThatNeverStartedIsAnError() {
        assertThatThrownBy(() -> ContainerShutdown.of(notStarted).awaitExit(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("awaitExit: the container local/empty:1 was never started");
    }

    @Test
    void stoppingAContainerThatNeverStartedIsAnError() {
        assertThatThrownBy(() -> ContainerShutdown.of(notStarted).dockerStop(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dockerStop: the container local/empty:1 is not running (it was never started)");
    }

    @Test
    void anInvalidThreadPatternIsRejectedWithThePattern() {
        assertThatThrownBy(() -> ContainerShutdown.withoutAgent(notStarted).ignoreThreads("worker-["))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ContainerShutdown.ignoreThreads: 'worker-[' is not a valid regular expression");
    }

    @Test
    void aNullContainerIsRejected() {
        assertThatThrownBy(() -> ContainerShutdown.of(null))
                .hasMessage("ContainerShutdown.of(container): the container is null");
    }
}
