package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * An {@code @Async} method that returns {@code void} and fails during the shutdown: Spring hands its exception to the
 * {@code AsyncUncaughtExceptionHandler}, which logs it, and to its executor the task succeeded. A swallowed failure,
 * like a catch block of the user's own that does not rethrow.
 */
class SpringAsyncSwallowedFailureTest {

    @Test
    void aVoidAsyncMethodsFailureLoggedBySpringIsAFailedTask() {
        Events events = Fixtures.tests(AsyncTestCases.class);

        assertThat(Fixtures.failureMessage(events, "voidMethodFailsDuringTheShutdown"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Spring's AsyncUncaughtExceptionHandler (the @Async method "
                        + "dev.gracefulshutdown.SpringAsyncSwallowedFailureTest$Exporter.export returns void: its exception is logged) "
                        + "and not rethrown");
        Fixtures.assertPassed(events, "voidMethodSucceedsDuringTheShutdown", "voidMethodFailedBeforeTheShutdown");
    }

    @Test
    void aTaskAClosedSimpleAsyncTaskExecutorCancelsBeforeItBeginsNeverRan() {
        Events events = Fixtures.tests(SimpleAsyncTestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskThreadStartsAfterTheExecutorClosed"))
                .contains("1 violation")
                .contains("DROPPED_TASK: work on ")
                .contains("never ran: it was cancelled before it began (java.util.concurrent.CancellationException")
                .contains("at org.springframework.core.task.SimpleAsyncTaskExecutor.checkCancelled(")
                .contains("fix: let the work already handed over start and finish before the executor closes")
                .doesNotContain("FAILED_TASK");
    }

    /**
     * Spring's {@code SimpleAsyncTaskExecutor} with a task termination timeout: once closed, a thread that starts a task
     * throws {@code CancellationException} instead. The thread factory holds the thread back until the hook has closed
     * the executor, which is what a slow thread start does by chance.
     */
    @GracefulShutdownTest(gracePeriod = "10s")
    static class SimpleAsyncTestCases {
        @Test
        void taskThreadStartsAfterTheExecutorClosed() throws InterruptedException {
            CountDownLatch closed = new CountDownLatch(1);
            CountDownLatch making = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Thread> taskThread = new java.util.concurrent.atomic.AtomicReference<>();
            org.springframework.core.task.SimpleAsyncTaskExecutor executor = new org.springframework.core.task.SimpleAsyncTaskExecutor(
                    runnable -> {
                        making.countDown();
                        try {
                            closed.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        Thread thread = new Thread(runnable, "export");
                        taskThread.set(thread);
                        return thread;
                    });
            executor.setTaskTerminationTimeout(2_000);
            Thread submitter = new Thread(() -> executor.execute(() -> { }), "submitter");
            submitter.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                executor.close();
                closed.countDown();
                try {
                    submitter.join(5_000);
                    Thread started = taskThread.get();
                    if (started != null) {
                        started.join(5_000); // it ends at once, cancelled
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "close-executor"));
            // the task is accepted, its thread being made, before the shutdown closes the executor (else it is refused)
            assertThat(making.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ForkedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "voidMethodFailsDuringTheShutdown"))
                .contains("1 violation").contains("FAILED_TASK: ")
                .contains("caught at Spring's AsyncUncaughtExceptionHandler");
    }

    @GracefulShutdownTest(gracePeriod = "10s", fork = true)
    static class ForkedTestCases {
        @Test
        void voidMethodFailsDuringTheShutdown() throws InterruptedException {
            AsyncTestCases.start(true);
        }
    }

    /** The application's latches (the bean itself is Spring's proxy: its fields are not the bean's). */
    static volatile CountDownLatch started;
    static volatile CountDownLatch shutdownBegan;
    static volatile Fixtures.Reached handled = new Fixtures.Reached();

    public static class Exporter {

        @Async
        public void export(boolean fail) throws InterruptedException {
            started.countDown();
            shutdownBegan.await(10, TimeUnit.SECONDS);
            if (fail) {
                throw new IllegalStateException("the export's connection is closed");
            }
        }

        @Async
        public void failAtOnce() {
            started.countDown();
            throw new IllegalStateException("bad input"); // before any shutdown: not the shutdown's business
        }
    }

    @Configuration
    @EnableAsync
    static class Config implements org.springframework.scheduling.annotation.AsyncConfigurer {
        /** Spring's default handler logs; this one also says when it is done. */
        @Override
        public org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
            return (failure, method, params) -> handled.signal();
        }

        @Bean
        ThreadPoolTaskExecutor taskExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setCorePoolSize(1);
            executor.setWaitForTasksToCompleteOnShutdown(true);
            executor.setAwaitTerminationSeconds(5);
            return executor;
        }

        @Bean
        Exporter exporter() {
            return new Exporter();
        }
    }

    @GracefulShutdownTest(gracePeriod = "10s")
    static class AsyncTestCases {
        static Exporter start(boolean fail) throws InterruptedException {
            started = new CountDownLatch(1);
            shutdownBegan = new CountDownLatch(1);
            AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Config.class);
            context.registerShutdownHook();
            Exporter exporter = context.getBean(Exporter.class);
            CountDownLatch began = shutdownBegan;
            Runtime.getRuntime().addShutdownHook(new Thread(began::countDown, "shutdown-began"));
            exporter.export(fail);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            return exporter;
        }

        @Test
        void voidMethodFailsDuringTheShutdown() throws InterruptedException {
            start(true);
        }

        @Test
        void voidMethodSucceedsDuringTheShutdown() throws InterruptedException {
            start(false);
        }

        @Test
        void voidMethodFailedBeforeTheShutdown() throws InterruptedException {
            started = new CountDownLatch(1);
            handled = new Fixtures.Reached();
            AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Config.class);
            context.registerShutdownHook();
            context.getBean(Exporter.class).failAtOnce();
            handled.await(SpringAsyncSwallowedFailureTest.class);
        }
    }
}
