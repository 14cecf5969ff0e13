package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.apps.HttpApp;
import dev.gracefulshutdown.http.HttpTraffic;
import dev.gracefulshutdown.testcontainers.ContainerShutdown;
import dev.gracefulshutdown.testcontainers.RequiresDocker;
import dev.gracefulshutdown.testsupport.HostJdkContainer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * HTTP traffic through a real {@code docker stop}: the application in a container, the requests from this JVM to its
 * mapped port, as a load balancer in front of the pod sends them.
 */
@RequiresDocker
class ContainerHttpTrafficTest {

    private static final String READY = "HttpApp Started";

    @Test
    void aServerStoppedAtOnceCutsOffTheExportAndRefusesTheRequestsStillArriving() {
        try (GenericContainer<?> app = HostJdkContainer.running(HttpApp.class, READY).withExposedPorts(HttpApp.PORT)) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();
            HttpTraffic traffic = shutdown.traffic().inFlight(uri(app, "/export"), 1)
                    .arriving(uri(app, "/ping"), 20, Duration.ofMillis(500));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));

            assertThat(report.violationKinds()).contains(Violation.Kind.REQUEST_CUT_OFF, Violation.Kind.REQUEST_REFUSED);
            assertThat(report.toString())
                    .contains("REQUEST_CUT_OFF: 1 request to GET " + uri(app, "/export") + " was accepted and never answered")
                    .containsPattern("REQUEST_REFUSED: \\d+ of \\d+ requests to GET " + uri(app, "/ping").toString().replace(".", "\\.")
                            + " arriving within the propagation window \\(500 ms after SIGTERM\\) were refused")
                    .contains("sent from dev.gracefulshutdown.ContainerHttpTrafficTest.aServerStoppedAtOnce");
            assertThat(traffic.requests()).filteredOn(HttpTraffic.Request::inFlight).singleElement()
                    .satisfies(request -> assertThat(request.outcome()).isEqualTo(HttpTraffic.Outcome.CUT_OFF));
        }
    }

    @Test
    void aLameDuckDelayThenADrainLosesNoRequest() {
        try (GenericContainer<?> app = HostJdkContainer.running(HttpApp.class, READY, "--lame-duck").withExposedPorts(HttpApp.PORT)) {
            ContainerShutdown shutdown = ContainerShutdown.of(app);
            app.start();
            HttpTraffic traffic = shutdown.traffic().inFlight(uri(app, "/export"), 1)
                    .arriving(uri(app, "/ping"), 20, Duration.ofMillis(500));

            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));

            ShutdownAssertions.assertThat(report).isClean().hasExitStatus(143);
            assertThat(traffic.requests()).isNotEmpty().allSatisfy(request ->
                    assertThat(request.outcome()).isEqualTo(HttpTraffic.Outcome.COMPLETED));
        }
    }

    private static URI uri(GenericContainer<?> app, String path) {
        return URI.create("http://" + app.getHost() + ":" + app.getMappedPort(HttpApp.PORT) + path);
    }
}
