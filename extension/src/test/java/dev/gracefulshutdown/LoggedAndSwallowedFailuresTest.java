package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A task that fails during the shutdown where its framework catches the exception and only logs it: to the executor
 * underneath, the task succeeded. Spring's scheduled tasks (a repeating task's default error handler logs and
 * suppresses), Reactor's schedulers ({@code Schedulers.handleError}) and chains without an error consumer
 * ({@code Operators.onErrorDropped}), Vert.x's handlers and timers ({@code ContextImpl.reportException}), Quartz's jobs ({@code JobRunShell}). Each is a
 * swallowed failure, like a catch block of the user's own that does not rethrow; each failing before the shutdown is
 * the application's business. In process and in a real JVM.
 */
class LoggedAndSwallowedFailuresTest {

    @Test
    void aFailureTheFrameworkLogsDuringTheShutdownIsAFailedTask() {
        Events events = Fixtures.tests(InProcessTestCases.class);

        assertThat(Fixtures.failureMessage(events, "springScheduledTaskFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Spring's TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER (a scheduled task's exception is logged) "
                        + "and not rethrown");
        assertThat(Fixtures.failureMessage(events, "reactorScheduledTaskFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Reactor's Schedulers.handleError");
        assertThat(Fixtures.failureMessage(events, "rxJavaChainWithoutAnErrorConsumerFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at RxJava's RxJavaPlugins.onError");
        assertThat(Fixtures.failureMessage(events, "vertxHandlerFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("submitted at dev.gracefulshutdown.LoggedAndSwallowedFailuresTest.vertx(")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Vert.x's context");
        assertThat(Fixtures.failureMessage(events, "quartzJobFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task job dev.gracefulshutdown.LoggedAndSwallowedFailuresTest$ExportJob")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Quartz's JobRunShell (it logs the job's exception, and the job counts as run)");
        assertThat(Fixtures.failureMessage(events, "quartzJobReportsItsFailure"))
                .contains("1 violation")
                .contains("FAILED_TASK: task job dev.gracefulshutdown.LoggedAndSwallowedFailuresTest$ReportingExportJob")
                .contains("failed during the shutdown with org.quartz.JobExecutionException: the export was not written");
        assertThat(Fixtures.failureMessage(events, "springAsyncOnAThreadPerTaskFails"))
                .as("no pool's task: the thread is the work, and Spring's catch ends it")
                .contains("1 violation")
                .contains("FAILED_TASK: work on ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Spring's AsyncUncaughtExceptionHandler");
        assertThat(Fixtures.failureMessage(events, "vertxTimerFails"))
                .as("Netty's scheduled task lets go of the timer's handler once it ran: what it carried is decided before")
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.LoggedAndSwallowedFailuresTest, inside "
                        + "io.vertx.core.impl.VertxImpl$InternalTimerHandler")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Vert.x's context");
        assertThat(Fixtures.failureMessage(events, "vertxTimerSetOnTheLoopFails"))
                .contains("1 violation").contains("FAILED_TASK: task lambda in dev.gracefulshutdown.LoggedAndSwallowedFailuresTest, inside "
                        + "io.vertx.core.impl.VertxImpl$InternalTimerHandler").contains("caught at Vert.x's context");
        assertThat(Fixtures.failureMessage(events, "reactorChainWithoutAnErrorConsumerFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.LoggedAndSwallowedFailuresTest, inside reactor.core.scheduler.")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Reactor's Operators.onErrorDropped");
        Fixtures.assertPassed(events, "vertxTimerSucceeds", "reactorChainWithoutAnErrorConsumerSucceeds",
                "reactorChainWithAnErrorConsumerFails");
        Fixtures.assertPassed(events, "springAsyncOnAThreadPerTaskSucceeds");
        Fixtures.assertPassed(events, "springScheduledTaskSucceeds", "springScheduledTaskFailedBeforeTheShutdown",
                "reactorScheduledTaskSucceeds", "reactorScheduledTaskFailedBeforeTheShutdown", "quartzJobSucceeds",
                "quartzJobFailedBeforeTheShutdown", "rxJavaChainWithoutAnErrorConsumerSucceeds",
                "rxJavaChainDisposedBeforeItFails", "vertxHandlerSucceeds", "vertxHandlerFailedBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ForkedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "springScheduledTaskFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Spring's TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER");
        assertThat(Fixtures.failureMessage(events, "reactorScheduledTaskFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Reactor's Schedulers.handleError");
        assertThat(Fixtures.failureMessage(events, "rxJavaChainWithoutAnErrorConsumerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at RxJava's RxJavaPlugins.onError");
        assertThat(Fixtures.failureMessage(events, "quartzJobFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Quartz's JobRunShell");
        assertThat(Fixtures.failureMessage(events, "vertxHandlerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Vert.x's context");
        assertThat(Fixtures.failureMessage(events, "springAsyncOnAThreadPerTaskFails"))
                .contains("1 violation").contains("FAILED_TASK: work on ").contains("caught at Spring's AsyncUncaughtExceptionHandler");
        assertThat(Fixtures.failureMessage(events, "vertxTimerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Vert.x's context");
        assertThat(Fixtures.failureMessage(events, "reactorChainWithoutAnErrorConsumerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Reactor's Operators.onErrorDropped");
        Fixtures.assertPassed(events, "quartzJobSucceeds");
    }

    /** What the work uses, closed by a hook: the work, waiting for it, then finds it closed (or not, if it should not). */
    static final class Connection {
        static volatile Connection current;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch closing = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();
        final boolean fails;

        Connection(boolean fails) {
            this.fails = fails;
            current = this;
        }

        /** The work: it begins, waits until the shutdown closes the connection, then uses it. */
        void export() {
            started.countDown();
            try {
                closing.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fails && closed.get()) {
                throw new IllegalStateException("the export's connection is closed");
            }
        }

        void close() {
            closed.set(true);
            closing.countDown();
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    static void spring(boolean fails) throws InterruptedException {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(5);
        scheduler.initialize();
        Connection connection = new Connection(fails);
        scheduler.scheduleAtFixedRate(connection::export, Duration.ofHours(1));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close(); // closed first, while the export still needs it
            scheduler.shutdown();
        }, "stop-exports"));
        connection.awaitStarted();
    }

    static void reactor(boolean fails) throws InterruptedException {
        reactor.core.scheduler.Scheduler exports = Schedulers.newSingle("exports");
        Connection connection = new Connection(fails);
        exports.schedule(connection::export);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            exports.disposeGracefully().block(Duration.ofSeconds(5));
        }, "stop-exports"));
        connection.awaitStarted();
    }

    /**
     * Reactor: the export as a chain on a scheduler of the application's, subscribed without an error consumer (its
     * error goes to {@code Operators.onErrorDropped}, which logs it) or with one (the application handles it). The hook
     * closes the connection and disposes the scheduler gracefully, which waits for the export.
     */
    static void reactorChain(boolean fails, boolean withAnErrorConsumer) throws InterruptedException {
        reactor.core.scheduler.Scheduler exports = Schedulers.newBoundedElastic(1, 10, "exports");
        Connection connection = new Connection(fails);
        reactor.core.publisher.Mono<Object> export = reactor.core.publisher.Mono.fromRunnable(connection::export).subscribeOn(exports);
        if (withAnErrorConsumer) {
            export.subscribe(done -> { }, error -> System.out.println("the export will be retried at the next start: " + error));
        } else {
            export.subscribe();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            exports.disposeGracefully().block(Duration.ofSeconds(5));
        }, "stop-exports"));
        connection.awaitStarted();
    }

    /**
     * Vert.x: the export as a timer's handler, the timer set from the test's thread or on the event loop: it runs as
     * Netty's scheduled task, which lets go of the handler once it has run.
     */
    static void vertxTimer(boolean fails, boolean setOnTheLoop) throws InterruptedException {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        Connection connection = new Connection(fails);
        if (setOnTheLoop) {
            vertx.runOnContext(v -> vertx.setTimer(1, id -> connection.export()));
        } else {
            vertx.setTimer(1, id -> connection.export());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            vertx.close().await();
        }, "stop-exports"));
        connection.awaitStarted();
    }

    /**
     * RxJava: the export as a chain on the application's pool, subscribed without an error consumer, so that its error
     * goes to {@code RxJavaPlugins.onError}. The hook closes the connection and drains the pool; disposed first, the
     * export is no longer wanted, and its error is not the application's loss.
     */
    static void rxJava(boolean fails, boolean disposedFirst) throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Connection connection = new Connection(fails);
        io.reactivex.rxjava3.disposables.Disposable export = io.reactivex.rxjava3.core.Completable.fromRunnable(connection::export)
                .subscribeOn(io.reactivex.rxjava3.schedulers.Schedulers.from(pool))
                .subscribe();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (disposedFirst) {
                export.dispose();
            }
            connection.close();
            pool.shutdown();
            Work.awaitTermination(pool);
        }, "stop-exports"));
        connection.awaitStarted();
    }

    /**
     * Vert.x: the export as a handler on an event loop ({@code runOnContext}); what it throws, Vert.x's context catches
     * and hands to {@code Vertx.exceptionHandler}, or logs. The hook closes the connection, then Vert.x, which waits
     * for the loop's handler.
     */
    static void vertx(boolean fails) throws InterruptedException {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        Connection connection = new Connection(fails);
        vertx.runOnContext(v -> connection.export());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            vertx.close().await();
        }, "stop-exports"));
        connection.awaitStarted();
    }

    private static final AtomicInteger SCHEDULERS = new AtomicInteger();

    static Scheduler quartz(Class<? extends Job> job, JobListener listener) throws SchedulerException {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "exports-" + SCHEDULERS.incrementAndGet());
        properties.setProperty("org.quartz.threadPool.threadCount", "1");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
        if (listener != null) {
            scheduler.getListenerManager().addJobListener(listener);
        }
        scheduler.start();
        scheduler.scheduleJob(JobBuilder.newJob(job).withIdentity("export").build(), TriggerBuilder.newTrigger().startNow().build());
        return scheduler;
    }

    static void quartzDuringTheShutdown(Class<? extends Job> job, boolean fails) throws Exception {
        Connection connection = new Connection(fails);
        Scheduler scheduler = quartz(job, null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connection.close();
            try {
                scheduler.shutdown(true); // waits for the job
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }, "stop-exports"));
        connection.awaitStarted();
    }

    public static class ExportJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            Connection.current.export();
        }
    }

    /** A job that says it failed the way Quartz asks: a {@code JobExecutionException}. */
    public static class ReportingExportJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            try {
                Connection.current.export();
            } catch (IllegalStateException closed) {
                throw new JobExecutionException("the export was not written");
            }
        }
    }

    /** An {@code @Async} bean whose exports use the connection of the test. */
    public static class AsyncExporter {
        @org.springframework.scheduling.annotation.Async
        public void export() {
            Connection.current.export();
        }
    }

    /**
     * Spring's {@code SimpleAsyncTaskExecutor}, a thread per task (what plain Spring's {@code @EnableAsync} uses when
     * there is no executor bean, and Boot's with virtual threads), told to wait for its tasks when it closes.
     */
    @org.springframework.context.annotation.Configuration
    @org.springframework.scheduling.annotation.EnableAsync
    static class ThreadPerTaskConfig {
        @org.springframework.context.annotation.Bean
        org.springframework.core.task.SimpleAsyncTaskExecutor taskExecutor() {
            org.springframework.core.task.SimpleAsyncTaskExecutor executor = new org.springframework.core.task.SimpleAsyncTaskExecutor("export-");
            executor.setTaskTerminationTimeout(5_000);
            return executor;
        }

        @org.springframework.context.annotation.Bean
        AsyncExporter exporter() {
            return new AsyncExporter();
        }
    }

    static void springAsyncOnAThreadPerTask(boolean fails) throws InterruptedException {
        Connection connection = new Connection(fails);
        Runtime.getRuntime().addShutdownHook(new Thread(connection::close, "close-connection"));
        org.springframework.context.annotation.AnnotationConfigApplicationContext context =
                new org.springframework.context.annotation.AnnotationConfigApplicationContext(ThreadPerTaskConfig.class);
        context.registerShutdownHook(); // closes the executor, which waits for the export
        context.getBean(AsyncExporter.class).export();
        connection.awaitStarted();
    }

    @GracefulShutdownTest(gracePeriod = "10s")
    static class InProcessTestCases {
        @Test
        void springAsyncOnAThreadPerTaskFails() throws InterruptedException {
            springAsyncOnAThreadPerTask(true);
        }

        @Test
        void springAsyncOnAThreadPerTaskSucceeds() throws InterruptedException {
            springAsyncOnAThreadPerTask(false);
        }

        @Test
        void springScheduledTaskFails() throws InterruptedException {
            spring(true);
        }

        @Test
        void springScheduledTaskSucceeds() throws InterruptedException {
            spring(false);
        }

        @Test
        void springScheduledTaskFailedBeforeTheShutdown() throws Exception {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler(); // one thread: its tasks run in turn
            scheduler.initialize();
            scheduler.scheduleAtFixedRate(() -> {
                throw new IllegalStateException("bad input"); // before any shutdown: not the shutdown's business
            }, Duration.ofHours(1));
            scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS); // after the failing run, and its logging, ended
            Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdown, "stop-exports"));
        }

        @Test
        void reactorScheduledTaskFails() throws InterruptedException {
            reactor(true);
        }

        @Test
        void reactorScheduledTaskSucceeds() throws InterruptedException {
            reactor(false);
        }

        @Test
        void rxJavaChainWithoutAnErrorConsumerFails() throws InterruptedException {
            rxJava(true, false);
        }

        @Test
        void rxJavaChainWithoutAnErrorConsumerSucceeds() throws InterruptedException {
            rxJava(false, false);
        }

        @Test
        void rxJavaChainDisposedBeforeItFails() throws InterruptedException {
            rxJava(true, true);
        }

        @Test
        void reactorScheduledTaskFailedBeforeTheShutdown() throws InterruptedException {
            reactor.core.scheduler.Scheduler exports = Schedulers.newSingle("exports");
            exports.schedule(() -> {
                throw new IllegalStateException("bad input");
            });
            CountDownLatch next = new CountDownLatch(1);
            exports.schedule(next::countDown); // one thread: it runs once the failing task, and its logging, ended
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> exports.disposeGracefully().block(Duration.ofSeconds(5)),
                    "stop-exports"));
        }

        @Test
        void vertxHandlerFails() throws InterruptedException {
            vertx(true);
        }

        @Test
        void vertxTimerFails() throws InterruptedException {
            vertxTimer(true, false);
        }

        @Test
        void vertxTimerSetOnTheLoopFails() throws InterruptedException {
            vertxTimer(true, true);
        }

        @Test
        void vertxTimerSucceeds() throws InterruptedException {
            vertxTimer(false, false);
        }

        @Test
        void reactorChainWithoutAnErrorConsumerFails() throws InterruptedException {
            reactorChain(true, false);
        }

        @Test
        void reactorChainWithoutAnErrorConsumerSucceeds() throws InterruptedException {
            reactorChain(false, false);
        }

        @Test
        void reactorChainWithAnErrorConsumerFails() throws InterruptedException {
            reactorChain(true, true);
        }

        @Test
        void vertxHandlerSucceeds() throws InterruptedException {
            vertx(false);
        }

        @Test
        void vertxHandlerFailedBeforeTheShutdown() throws InterruptedException {
            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
            CountDownLatch next = new CountDownLatch(1);
            vertx.runOnContext(v -> {
                throw new IllegalStateException("bad input"); // before any shutdown: not the shutdown's business
            });
            vertx.runOnContext(v -> next.countDown());
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "stop-vertx"));
        }

        @Test
        void quartzJobFails() throws Exception {
            quartzDuringTheShutdown(ExportJob.class, true);
        }

        @Test
        void quartzJobReportsItsFailure() throws Exception {
            quartzDuringTheShutdown(ReportingExportJob.class, true);
        }

        @Test
        void quartzJobSucceeds() throws Exception {
            quartzDuringTheShutdown(ExportJob.class, false);
        }

        @Test
        void quartzJobFailedBeforeTheShutdown() throws Exception {
            Connection connection = new Connection(true);
            connection.close(); // already closed: the job fails at once
            CountDownLatch ran = new CountDownLatch(1);
            Scheduler scheduler = quartz(ExportJob.class, new org.quartz.listeners.JobListenerSupport() {
                @Override
                public String getName() {
                    return "ran";
                }

                @Override
                public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
                    ran.countDown();
                }
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    scheduler.shutdown(true);
                } catch (SchedulerException e) {
                    throw new IllegalStateException(e);
                }
            }, "stop-exports"));
        }
    }

    @GracefulShutdownTest(gracePeriod = "10s", fork = true)
    static class ForkedTestCases {
        @Test
        void springAsyncOnAThreadPerTaskFails() throws InterruptedException {
            springAsyncOnAThreadPerTask(true);
        }

        @Test
        void springScheduledTaskFails() throws InterruptedException {
            spring(true);
        }

        @Test
        void reactorScheduledTaskFails() throws InterruptedException {
            reactor(true);
        }

        @Test
        void rxJavaChainWithoutAnErrorConsumerFails() throws InterruptedException {
            rxJava(true, false);
        }

        @Test
        void vertxHandlerFails() throws InterruptedException {
            vertx(true);
        }

        @Test
        void vertxTimerFails() throws InterruptedException {
            vertxTimer(true, false);
        }

        @Test
        void reactorChainWithoutAnErrorConsumerFails() throws InterruptedException {
            reactorChain(true, false);
        }

        @Test
        void quartzJobFails() throws Exception {
            quartzDuringTheShutdown(ExportJob.class, true);
        }

        @Test
        void quartzJobSucceeds() throws Exception {
            quartzDuringTheShutdown(ExportJob.class, false);
        }
    }
}
