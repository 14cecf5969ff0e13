package dev.gracefulshutdown.examples.spring;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** Starts the story 3 applications the way their {@code main} would. */
public final class SpringApps {

    private SpringApps() {
    }

    /** A started context with Spring's shutdown hook registered (under the kit: captured, run at SIGTERM). */
    public static AnnotationConfigApplicationContext startWithShutdownHook(Class<?> configuration) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(configuration);
        context.registerShutdownHook();
        return context;
    }
}
