package dev.gracefulshutdown.examples.spring60;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.spring.AsyncConfigurations;
import dev.gracefulshutdown.examples.spring.ExportJob;
import dev.gracefulshutdown.examples.spring.SpringApps;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.core.SpringVersion;

/**
 * Story 3, the upgrade: the same configurations as {@code examples/SpringAsyncShutdownTest}, on Spring 6.0.
 * Before 6.1 the executor took no part in the lifecycle stop phase, so with the defaults {@code destroy()}
 * called {@code shutdownNow()} and interrupted the running job. On 6.1 and later the same code is clean.
 */
@GracefulShutdownTest(gracePeriod = "10s")
class SpringAsyncBeforeSixOneTest {

    static void startExport(Class<?> configuration) throws InterruptedException {
        assertThat(SpringVersion.getVersion()).startsWith("6.0.");
        ExportJob job = SpringApps.startWithShutdownHook(configuration).getBean(ExportJob.class);
        job.export(Duration.ofMillis(150));
        await().atMost(Duration.ofSeconds(5)).until(job::isRunning);
    }

    /*
     * Spring 6.0 defaults: without expect,
     *
     * 1) INTERRUPTED_TASK: task lambda in org.springframework.aop.interceptor.AsyncExecutionAspectSupport (task#1) on ThreadPoolExecutor#1
     *    was interrupted while running on thread "async-1"
     *      interrupted by shutdownNow() at org.springframework.scheduling.concurrent.ExecutorConfigurationSupport.shutdown(...)
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "10s", expect = Violation.Kind.INTERRUPTED_TASK)
    void defaultsInterruptTheJob() throws InterruptedException {
        startExport(AsyncConfigurations.Defaults.class);
    }

    /** waitForTasksToCompleteOnShutdown(true) alone: the same verdict as on Spring 7, the job is cut off. */
    @Test
    @GracefulShutdownTest(gracePeriod = "10s", expect = Violation.Kind.ABANDONED_TASK)
    void waitForTasksAloneDoesNotWait() throws InterruptedException {
        startExport(AsyncConfigurations.WaitForTasks.class);
    }

    /** Plus awaitTerminationSeconds: clean on every version. */
    @Test
    void waitForTasksWithAwaitTerminationFinishesTheJob() throws InterruptedException {
        startExport(AsyncConfigurations.WaitForTasksAndAwait.class);
    }
}
