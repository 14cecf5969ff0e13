package dev.gracefulshutdown.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.Fixtures;
import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownTrigger;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.testkit.engine.Events;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * {@code @SpringJUnitConfig} + {@code @GracefulShutdownTest}, Spring Framework alone: the test's ApplicationContext is
 * the application, loaded inside the test's lifetime and closed by the simulated shutdown as its hook would.
 */
class SpringIntegrationTest {

    static final AtomicInteger CONTEXTS_LOADED = new AtomicInteger();
    static final Set<Object> EXECUTORS = ConcurrentHashMap.newKeySet();
    static final List<String> AFTER_TEST_LISTENER_SAW = new CopyOnWriteArrayList<>();

    @BeforeEach
    void reset() {
        CONTEXTS_LOADED.set(0);
        EXECUTORS.clear();
        AFTER_TEST_LISTENER_SAW.clear();
    }

    @Test
    void waitForTasksAloneAbandonsTheJobTheDefaultsAwaitIt() {
        Events events = Fixtures.tests(AsyncTestCases.class);

        assertThat(Fixtures.failureMessage(events, "waitForTasksAlone"))
                .contains("Graceful shutdown after SIGTERM (grace period 5 s): 1 violation")
                .contains("ABANDONED_TASK: task ")
                .contains("on ThreadPoolExecutor#1 was still running on thread \"export-1\"")
                .contains("captured 2 threads, 1 executors, 1 tasks, 1 hooks") // the worker, and the context's hook
                .contains("task method dev.gracefulshutdown.spring.SpringIntegrationTest$ExportJob.export(), inside lambda in "
                        + "org.springframework.aop.interceptor.AsyncExecutionInterceptor (task#1)");
        Fixtures.assertPassed(events, "defaults", "waitForTasksWithAwaitTermination");
        assertThat(CONTEXTS_LOADED).as("one context per test method, each in its own lifetime").hasValue(3);
    }

    @Test
    void aBatchApplicationThatNeverClosesItsContextNeverExits() {
        Events events = Fixtures.tests(BatchTestCases.class);

        assertThat(Fixtures.failureMessage(events, "contextNeverClosed"))
                .contains("LINGERING_THREAD: non-daemon thread \"export-1\" keeps the JVM alive after main returns")
                .doesNotContain("ABANDONED_TASK");
        Fixtures.assertPassed(events, "shortKeepAlive");
    }

    @Test
    void classesSharingAConfigurationNeverShareAContextWithEachOtherOrWithPlainSpringTests() {
        Events events = Fixtures.run(PlainTestCases.class).testEvents();
        Fixtures.assertPassed(events, "plainSpringTest");
        Events first = Fixtures.tests(SharedConfigurationTestCases.class);
        Events second = Fixtures.tests(SharedConfigurationAgainTestCases.class);
        Events plainAgain = Fixtures.tests(PlainTestCases.class);

        // each kit test has its own executor, its own task and its own hook, whatever ran before
        assertThat(Fixtures.failureMessage(first, "waitForTasksAlone")).contains("ABANDONED_TASK")
                .contains("captured 2 threads, 1 executors, 1 tasks, 1 hooks");
        assertThat(Fixtures.failureMessage(second, "waitForTasksAlone")).contains("ABANDONED_TASK")
                .contains("captured 2 threads, 1 executors, 1 tasks, 1 hooks");
        // the plain test still gets its cached context, alive
        Fixtures.assertPassed(plainAgain, "plainSpringTest");
        assertThat(EXECUTORS).as("the plain class's context (cached, reused), and one per kit test").hasSize(3);
        assertThat(CONTEXTS_LOADED).hasValue(3);
    }

    @Test
    void springsAfterTestListenersNeitherFailNorLoadANewContext() {
        Events events = Fixtures.tests(ListenerTestCases.class);

        Fixtures.assertPassed(events, "first", "second", "batch");
        assertThat(CONTEXTS_LOADED).as("one context per test method, no more").hasValue(3);
        assertThat(AFTER_TEST_LISTENER_SAW).hasSize(3).allMatch(seen -> seen.startsWith("active"));
        assertThat(AFTER_TEST_LISTENER_SAW.subList(0, 2)).allMatch(seen -> seen.contains("stand-in"));
        assertThat(AFTER_TEST_LISTENER_SAW.get(2)).as("MAIN_RETURN: the context is not closed, the listener sees it")
                .doesNotContain("stand-in");
    }

    @Test
    void aContextLoadedBeforeTheLifetimeCannotBeJudgedAndTheTestSaysSo() {
        Events events = Fixtures.tests(PerClassTestCases.class);

        assertThat(Fixtures.failureMessage(events, "perClass"))
                .contains("was not loaded during this test's application lifetime")
                .contains("@TestInstance(PER_CLASS)");
    }

    // ---- the application -------------------------------------------------------------------------------------

    public static class ExportJob {
        final CountDownLatch started = new CountDownLatch(1);

        @Async
        public void export() throws InterruptedException {
            started.countDown();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(100); // writing a chunk
            }
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the job started").isTrue();
        }
    }

    abstract static class AsyncConfig {
        AsyncConfig() {
            CONTEXTS_LOADED.incrementAndGet();
        }

        @Bean
        ExportJob exportJob() {
            return new ExportJob();
        }

        @Bean
        ThreadPoolTaskExecutor taskExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("export-");
            configure(executor);
            EXECUTORS.add(executor);
            return executor;
        }

        abstract void configure(ThreadPoolTaskExecutor executor);
    }

    /** Spring's defaults (6.1+): the lifecycle stop phase waits for the running job. */
    @Configuration
    @EnableAsync
    static class Defaults extends AsyncConfig {
        @Override
        void configure(ThreadPoolTaskExecutor executor) {
        }
    }

    /** The configuration users copy: "wait for tasks" without a bound; the close does not wait, the halt cuts the job off. */
    @Configuration
    @EnableAsync
    static class WaitForTasksAlone extends AsyncConfig {
        @Override
        void configure(ThreadPoolTaskExecutor executor) {
            executor.setWaitForTasksToCompleteOnShutdown(true);
        }
    }

    @Configuration
    @EnableAsync
    static class WaitForTasksWithAwaitTermination extends AsyncConfig {
        @Override
        void configure(ThreadPoolTaskExecutor executor) {
            executor.setWaitForTasksToCompleteOnShutdown(true);
            executor.setAwaitTerminationSeconds(10);
        }
    }

    @Configuration
    @EnableAsync
    static class ShortKeepAlive extends AsyncConfig {
        @Override
        void configure(ThreadPoolTaskExecutor executor) {
            executor.setAllowCoreThreadTimeOut(true);
            executor.setKeepAliveSeconds(1);
        }
    }

    // ---- fixtures --------------------------------------------------------------------------------------------

    /** What a test of the application does: start the job, and return while it runs (SIGTERM). */
    abstract static class ExportInFlight {
        @Autowired
        ExportJob job;

        void exportInFlight() throws InterruptedException {
            job.export();
            job.awaitStarted();
        }
    }

    static class AsyncTestCases {

        @Nested
        @SpringJUnitConfig(Defaults.class)
        @GracefulShutdownTest(gracePeriod = "5s")
        class DefaultsTests extends ExportInFlight {
            @Test
            void defaults() throws InterruptedException {
                exportInFlight();
            }
        }

        @Nested
        @SpringJUnitConfig(WaitForTasksAlone.class)
        @GracefulShutdownTest(gracePeriod = "5s")
        class WaitForTasksAloneTests extends ExportInFlight {
            @Test
            void waitForTasksAlone() throws InterruptedException {
                exportInFlight();
            }
        }

        @Nested
        @SpringJUnitConfig(WaitForTasksWithAwaitTermination.class)
        @GracefulShutdownTest(gracePeriod = "5s")
        class WaitForTasksWithAwaitTerminationTests extends ExportInFlight {
            @Test
            void waitForTasksWithAwaitTermination() throws InterruptedException {
                exportInFlight();
            }
        }
    }

    static class BatchTestCases {

        /** The job is done, the context never closed: the executor's idle worker keeps the JVM alive. */
        @Nested
        @SpringJUnitConfig(Defaults.class)
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "3s")
        class NeverClosed extends ExportInFlight {
            @Test
            void contextNeverClosed() throws InterruptedException {
                exportInFlight();
            }
        }

        @Nested
        @SpringJUnitConfig(ShortKeepAlive.class)
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s")
        class KeepAlive extends ExportInFlight {
            @Test
            void shortKeepAlive() throws InterruptedException {
                exportInFlight();
            }
        }
    }

    @SpringJUnitConfig(WaitForTasksAlone.class)
    static class PlainTestCases {
        @Autowired
        ExportJob job;

        @Test
        void plainSpringTest() {
            assertThat(job).isNotNull();
        }
    }

    @SpringJUnitConfig(WaitForTasksAlone.class)
    @GracefulShutdownTest(gracePeriod = "5s")
    static class SharedConfigurationTestCases extends ExportInFlight {
        @Test
        void waitForTasksAlone() throws InterruptedException {
            exportInFlight();
        }
    }

    @SpringJUnitConfig(WaitForTasksAlone.class)
    @GracefulShutdownTest(gracePeriod = "5s")
    static class SharedConfigurationAgainTestCases extends ExportInFlight {
        @Test
        void waitForTasksAlone() throws InterruptedException {
            exportInFlight();
        }
    }

    /** Stands for Mockito's reset listener: after each test method it asks for the test's context. */
    public static class AsksForTheContextAfterEachTest extends AbstractTestExecutionListener {
        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE - 100; // MockitoResetTestExecutionListener's
        }

        @Override
        public void afterTestMethod(TestContext testContext) {
            org.springframework.context.ConfigurableApplicationContext context =
                    (org.springframework.context.ConfigurableApplicationContext) testContext.getApplicationContext();
            AFTER_TEST_LISTENER_SAW.add((context.isActive() ? "active " : "closed ") + context.getDisplayName());
        }
    }

    @SpringJUnitConfig(Defaults.class)
    @TestExecutionListeners(listeners = AsksForTheContextAfterEachTest.class,
            mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
    @GracefulShutdownTest(gracePeriod = "5s")
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    static class ListenerTestCases extends ExportInFlight {
        @Test
        @org.junit.jupiter.api.Order(1)
        void first() throws InterruptedException {
            exportInFlight();
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        void second() throws InterruptedException {
            exportInFlight();
        }

        @Test
        @org.junit.jupiter.api.Order(3)
        @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, exitTimeout = "5s", expect = dev.gracefulshutdown.Violation.Kind.LINGERING_THREAD)
        void batch() throws InterruptedException {
            exportInFlight();
        }
    }

    @SpringJUnitConfig(Defaults.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @GracefulShutdownTest(gracePeriod = "5s")
    static class PerClassTestCases extends ExportInFlight {
        @Test
        void perClass() throws InterruptedException {
            exportInFlight();
        }
    }
}
