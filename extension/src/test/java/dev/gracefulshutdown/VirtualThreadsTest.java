package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
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
