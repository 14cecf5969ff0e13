package dev.gracefulshutdown.examples;

import static org.awaitility.Awaitility.await;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.boot.ExportApplication;
import dev.gracefulshutdown.examples.spring.ExportJob;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Story 3 in its Spring Boot form, with a real {@code SpringApplication}: the same three configurations as
 * {@link SpringAsyncShutdownTest}, through {@code spring.task.execution.shutdown.*}, and the same verdicts.
 * Plus story 4's Boot twist: Boot's executor lets core threads time out after 60 s, so a batch application
 * that never closes its context exits a minute after its job.
 */
@GracefulShutdownTest(gracePeriod = "10s")
class SpringBootAsyncShutdownTest {

    static ExportJob startExport(String... properties) {
        ExportJob job = ExportApplication.start(properties).getBean(ExportJob.class);
        try {
            job.export(Duration.ofMillis(150));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(job::isRunning);
        return job;
    }

    /** Boot's defaults on Spring 6.1+: the lifecycle stop phase waits for the job. Clean. */
    @Test
    void defaults() {
        startExport();
    }

    /* spring.task.execution.shutdown.await-termination=true alone: without expect, ABANDONED_TASK. */
    @Test
    @GracefulShutdownTest(gracePeriod = "10s", expect = Violation.Kind.ABANDONED_TASK)
    void awaitTerminationAlone() {
        startExport("spring.task.execution.shutdown.await-termination=true");
    }

    /** Plus await-termination-period: the close waits for the job. Clean. */
    @Test
    void awaitTerminationWithAPeriod() {
        startExport("spring.task.execution.shutdown.await-termination=true",
                "spring.task.execution.shutdown.await-termination-period=10s");
    }

    /*
     * A Boot batch job that never closes its context: Boot's executor lets its threads time out, but only
     * after its 60 s keep-alive. Without expect:
     *
     * 1) LINGERING_THREAD: non-daemon thread "task-1" keeps the JVM alive after main returns
     *      why: it is an idle worker of a pool that is never shut down; it ends only when its keep-alive of 60 s
     *      expires, after the exit timeout of 5 s
     */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s", expect = Violation.Kind.LINGERING_THREAD)
    void batchJobExitsOnlyAfterTheKeepAlive() throws Exception {
        ExportJob job = ExportApplication.start().getBean(ExportJob.class);
        job.export(Duration.ofMillis(10)).get();
    }

    /** With a short keep-alive the JVM exits a second after the job. */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s")
    void batchJobWithAShortKeepAlive() throws Exception {
        ExportJob job = ExportApplication.start("spring.task.execution.pool.keep-alive=1s").getBean(ExportJob.class);
        job.export(Duration.ofMillis(10)).get();
    }
}
