package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** JDK 21+: virtual threads are daemon threads; a task of a virtual-thread executor cut off by the halt is lost. */
class VirtualThreadsTest {

    @Test
    void virtualThreadPerTaskExecutorWorkRunningAtTheHaltIsAbandoned() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        Events events = Fixtures.tests(TestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskStillRunning"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task on its own thread")
                .contains("submitted at dev.gracefulshutdown.VirtualThreadsTest$TestCases.taskStillRunning");
        Fixtures.assertPassed(events, "executorClosedBeforeTheEnd", "plainVirtualThreadIsADaemon");
    }

    @Test
    void aFailureItsFutureKeepsDuringTheShutdownIsAFailedTask() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        Events events = Fixtures.tests(TestCases.class);

        assertThat(Fixtures.failureMessage(events, "taskFailsDuringTheShutdown"))
                .contains("1 violation")
                .contains("FAILED_TASK: ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at its Future (a thread-per-task executor keeps what the task threw for get())");
        Fixtures.assertPassed(events, "taskFailedBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgreesOnAFailureItsFutureKeeps() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        Events events = Fixtures.tests(TestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "taskFailsDuringTheShutdown")).contains("1 violation").contains("FAILED_TASK: ");
        Fixtures.assertPassed(events, "taskFailedBeforeTheShutdown");
    }

    static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        Method factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        return (ExecutorService) factory.invoke(null);
    }

    @GracefulShutdownTest
    static class TestCases {
        @Test
        void taskStillRunning() throws Exception {
            ExecutorService executor = newVirtualThreadPerTaskExecutor();
            CountDownLatch started = new CountDownLatch(1);
            executor.submit(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            started.await();
        }

        @Test
        void taskFailsDuringTheShutdown() throws Exception {
            ExecutorService executor = newVirtualThreadPerTaskExecutor();
            LoggedAndSwallowedFailuresTest.Connection connection = new LoggedAndSwallowedFailuresTest.Connection(true);
            executor.submit(connection::export);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                connection.close();
                executor.shutdown();
                Work.awaitTermination(executor);
            }, "stop-exports"));
            connection.awaitStarted();
        }

        @Test
        void taskFailedBeforeTheShutdown() throws Exception {
            ExecutorService executor = newVirtualThreadPerTaskExecutor();
            java.util.concurrent.Future<?> export = executor.submit(() -> {
                throw new IllegalStateException("bad input"); // before any shutdown: the application's business
            });
            assertThatThrownBy(export::get).isInstanceOf(java.util.concurrent.ExecutionException.class);
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void executorClosedBeforeTheEnd() throws Exception {
            ExecutorService executor = newVirtualThreadPerTaskExecutor();
            executor.submit(() -> { });
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void plainVirtualThreadIsADaemon() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
            start.invoke(null, (Runnable) () -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            started.await();
        }
    }
}
