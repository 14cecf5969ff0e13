package dev.gracefulshutdown.examples.batch;

import java.util.Arrays;
import java.util.concurrent.Future;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A batch job, packaged and run the way a Kubernetes {@code Job} or a cron container runs it (story 4): a Spring
 * context with a {@code ThreadPoolTaskExecutor}, the import on it, and {@code main} returns. As it is, the
 * context is never closed: the executor's core thread is non-daemon and waits for work forever, so the JVM, and
 * the container with it, never exits; the {@code Job} never completes. With {@code --close-context} the job
 * closes the context when it is done, which shuts the executor down, and the JVM exits with 0.
 */
public final class ImportJob {

    private ImportJob() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ImportJob started");
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("importExecutor", ThreadPoolTaskExecutor.class, () -> {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("import-");
            return executor;
        });
        context.refresh();
        Future<String> rows = context.getBean(ThreadPoolTaskExecutor.class).submit(() -> "imported 1000 rows");
        System.out.println("ImportJob " + rows.get());
        if (Arrays.asList(args).contains("--close-context")) {
            context.close();
        }
    }
}
