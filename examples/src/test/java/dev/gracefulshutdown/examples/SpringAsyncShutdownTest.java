package dev.gracefulshutdown.examples;

import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.spring.AsyncConfigurations;
import dev.gracefulshutdown.examples.spring.ExportJob;
import dev.gracefulshutdown.examples.spring.SpringApps;
import dev.gracefulshutdown.examples.spring.InvoiceJob;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Story 3: Spring {@code @Async} on context close, with the real Spring Framework (the current version;
 * {@code examples-spring-6.0} pins what Spring 6.0 does with the same code). Each test starts a context,
 * registers Spring's shutdown hook, starts a job and receives SIGTERM while the job runs.
 *
 * <p>Since Spring 6.1 the executor takes part in the context's lifecycle stop phase: on close it stops
 * accepting tasks and the stop phase waits for the running ones (up to 10 s per phase in Spring 7), unless
 * {@code waitForTasksToCompleteOnShutdown} is set. So with the defaults the job now completes; before 6.1,
 * the same defaults interrupted it with {@code shutdownNow()}.
 */
@GracefulShutdownTest(gracePeriod = "10s")
class SpringAsyncShutdownTest {

    private static final Duration STEP = Duration.ofMillis(150);

    static void startExport(Class<?> configuration) throws InterruptedException {
        startExport(configuration, STEP);
    }

    static void startExport(Class<?> configuration, Duration step) throws InterruptedException {
        ExportJob job = SpringApps.startWithShutdownHook(configuration).getBean(ExportJob.class);
        job.export(step);
        await().atMost(Duration.ofSeconds(5)).until(job::isRunning);
    }

    /** Spring 6.1+ defaults: the lifecycle stop phase waits for the running job. Clean. */
    @Test
    void defaultsWaitForTheJobInTheStopPhase() throws InterruptedException {
        startExport(AsyncConfigurations.Defaults.class);
    }

    /*
     * waitForTasksToCompleteOnShutdown(true) alone: no stop phase, and destroy() calls shutdown() without
     * waiting. The hook returns, the JVM halts, the job dies mid-way. Without expect:
     *
     * 1) ABANDONED_TASK: task method dev.gracefulshutdown.examples.spring.ExportJob.export(), inside lambda in
     *    org.springframework.util.concurrent.FutureUtils (task#1) on ThreadPoolExecutor#1 was still running on thread
     *    "async-1" when the JVM halted
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "10s", expect = Violation.Kind.ABANDONED_TASK)
    void waitForTasksAloneDoesNotWait() throws InterruptedException {
        // a job of 5 s: on a loaded machine, closing the context can outlast a short one, which then ends before the halt
        startExport(AsyncConfigurations.WaitForTasks.class, Duration.ofSeconds(1));
    }

    /** Plus awaitTerminationSeconds(10): the close blocks until the job is done. Clean. */
    @Test
    void waitForTasksWithAwaitTerminationFinishesTheJob() throws InterruptedException {
        startExport(AsyncConfigurations.WaitForTasksAndAwait.class);
    }

    /*
     * The executor waits, but the DataSource it needs is destroyed first (beans are destroyed in reverse
     * creation order). The job's next invoice hits the closed pool. Without expect:
     *
     * 1) FAILED_TASK: task method dev.gracefulshutdown.examples.spring.InvoiceJob.bill(), inside lambda in
     *    org.springframework.util.concurrent.FutureUtils (task#1) on ThreadPoolExecutor#1 failed during the shutdown
     *    with java.sql.SQLException: HikariDataSource HikariDataSource (invoices) has been closed.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "10s", expect = Violation.Kind.FAILED_TASK)
    void dataSourceClosedUnderTheRunningJob() {
        startBilling(AsyncConfigurations.DataSourceClosedFirst.class);
    }

    /** The fix: {@code @DependsOn("dataSource")} on the executor, so it is destroyed, and awaited, first. */
    @Test
    void executorDestroyedBeforeTheDataSource() {
        startBilling(AsyncConfigurations.ExecutorDependsOnDataSource.class);
    }

    static void startBilling(Class<?> configuration) {
        InvoiceJob job = SpringApps.startWithShutdownHook(configuration).getBean(InvoiceJob.class);
        try {
            job.bill(8, STEP);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> job.billed() > 0);
    }
}
