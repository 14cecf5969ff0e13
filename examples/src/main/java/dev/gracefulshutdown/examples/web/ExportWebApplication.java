package dev.gracefulshutdown.examples.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application on Tomcat: {@code GET /export} takes a second (a report rendered while the client
 * waits), {@code GET /ping} answers at once. Its shutdown is configured with Boot's properties alone:
 * {@code server.shutdown} ({@code graceful}, the default since Boot 3.4, or {@code immediate}) and
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (how long the graceful stop waits for requests in flight).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ExportWebApplication.ExportController.class, ExportWebApplication.LameDuck.class})
public class ExportWebApplication {

    /** How long an export takes. */
    public static final long EXPORT_MILLIS = 1_000;

    /**
     * {@code export.lame-duck=800ms}: on SIGTERM, keep serving for a while before the graceful stop begins, as a
     * Kubernetes {@code preStop} sleep does, so that requests the load balancer still routes here are answered.
     * {@link ContextClosedEvent} comes before the lifecycle stop phase, where the web server stops accepting.
     */
    @ConditionalOnProperty("export.lame-duck")
    public static class LameDuck {
        private final java.time.Duration delay;

        public LameDuck(@org.springframework.beans.factory.annotation.Value("${export.lame-duck}") java.time.Duration delay) {
            this.delay = delay;
        }

        @EventListener(ContextClosedEvent.class)
        public void keepServingWhileTheEndpointRemovalPropagates() throws InterruptedException {
            Thread.sleep(delay.toMillis()); // readiness would be reported down here first (Boot's availability state)
        }
    }

    @RestController
    public static class ExportController {

        @GetMapping("/export")
        public String export() throws InterruptedException {
            Thread.sleep(EXPORT_MILLIS); // rendering the export
            return "exported";
        }

        @GetMapping("/ping")
        public String ping() {
            return "pong";
        }
    }
}
