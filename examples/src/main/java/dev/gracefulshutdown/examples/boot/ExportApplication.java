package dev.gracefulshutdown.examples.boot;

import dev.gracefulshutdown.examples.spring.ExportJob;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Story 3, the Spring Boot form: the {@code @Async} executor is Boot's auto-configured
 * {@code applicationTaskExecutor}, set up with {@code spring.task.execution.*} properties.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableAsync
@Import(ExportJob.class)
public class ExportApplication {

    /**
     * Runs the application with the given properties. Boot's own shutdown hook is registered once per JVM
     * (a static singleton), so each test registers the context's own hook instead: it closes the same
     * context on SIGTERM.
     */
    public static ConfigurableApplicationContext start(String... properties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ExportApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties("logging.level.root=warn")
                .properties(properties)
                .run();
        context.registerShutdownHook();
        return context;
    }
}
