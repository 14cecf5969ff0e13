package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Story 4: a batch job that finishes, but the JVM never exits. The job runs on a Spring
 * {@code ThreadPoolTaskExecutor}; {@code main} returns without closing the context; the pool's core thread
 * is non-daemon and never times out, so the JVM waits for it forever. The kit says so at once, instead of
 * after a minute, and names where the pool was created.
 */
@GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s")
class BatchJobShutdownTest {

    static GenericApplicationContext runJob(Consumer<ThreadPoolTaskExecutor> configuration) throws Exception {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("batchExecutor", ThreadPoolTaskExecutor.class, () -> {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("batch-");
            configuration.accept(executor);
            return executor;
        });
        context.refresh();
        ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
        executor.submit(() -> "imported 1000 rows").get(); // the job is done
        return context;
    }

    /*
     * Without expect:
     *
     * 1) LINGERING_THREAD: non-daemon thread "batch-1" keeps the JVM alive after main returns
     *      pool ThreadPoolExecutor[core=1, max=unbounded, keepAlive=60 s] created at
     *      dev.gracefulshutdown.examples.BatchJobShutdownTest.runJob(BatchJobShutdownTest.java:...)
     *      via org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.initializeExecutor(...)
     *      why: it is a worker of a pool that is never shut down, and a pool's core threads wait for work forever
     */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
    void jobFinishesButTheJvmNeverExits() throws Exception {
        runJob(executor -> { });
    }

    /** allowCoreThreadTimeOut with a short keep-alive: the JVM exits one second after the job. */
    @Test
    void coreThreadTimeOutWithAShortKeepAlive() throws Exception {
        runJob(executor -> {
            executor.setAllowCoreThreadTimeOut(true);
            executor.setKeepAliveSeconds(1);
        });
    }

    /** The same with the default 60 s keep-alive: the JVM would exit only after a minute, past the exit timeout. */
    @Test
    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s", expect = Violation.Kind.LINGERING_THREAD)
    void coreThreadTimeOutWithTheDefaultKeepAlive() throws Exception {
        runJob(executor -> executor.setAllowCoreThreadTimeOut(true));
    }

    /** Shut every executor down when the job ends (a job listener's afterJob). */
    @Test
    void executorShutDownWhenTheJobEnds() throws Exception {
        runJob(executor -> { }).getBean(ThreadPoolTaskExecutor.class).shutdown();
    }

    /** Or close the context: it destroys the executor. */
    @Test
    void contextClosedWhenTheJobEnds() throws Exception {
        runJob(executor -> { }).close();
    }
}
