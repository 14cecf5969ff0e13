package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kotlin.Unit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.Job;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Kotlin's coroutines, called from Java as a Kotlin service's code would be compiled: their dispatchers
 * ({@code Dispatchers.Default}, {@code Dispatchers.IO}) are a scheduler of their own with daemon workers, not a
 * {@code java.util.concurrent} pool. A coroutine still running at the halt is cut off; one a hook joins finishes.
 */
class KotlinCoroutinesTest {

    @Test
    void aCoroutineStillRunningAtTheHaltIsLostUnlessAHookJoinsIt() {
        Events events = Fixtures.tests(CoroutineCases.class);

        for (String test : new String[] {"launchedOnTheDefaultDispatcher", "launchedOnTheIoDispatcher"}) {
            assertThat(Fixtures.failureMessage(events, test)).contains("1 violation")
                    .contains("ABANDONED_TASK: work on worker thread \"DefaultDispatcher-worker-")
                    .contains("thread started at dev.gracefulshutdown.KotlinCoroutinesTest$CoroutineCases.launch(")
                    .contains("dev.gracefulshutdown.KotlinCoroutinesTest$CoroutineCases.export(")
                    .contains("Kotlin's coroutines: join the jobs in flight, runBlocking { job.join() }");
        }
        Fixtures.assertPassed(events, "joinedInAHook", "joinedBeforeTheTestEnds", "runBlockingOnTheTestsThread");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(CoroutineCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "launchedOnTheDefaultDispatcher")).contains("1 violation")
                .contains("ABANDONED_TASK").contains("forked JVM");
        assertThat(Fixtures.failureMessage(events, "launchedOnTheIoDispatcher")).contains("1 violation")
                .contains("ABANDONED_TASK");
        Fixtures.assertPassed(events, "joinedInAHook", "joinedBeforeTheTestEnds", "runBlockingOnTheTestsThread");
    }

    @GracefulShutdownTest(gracePeriod = "3s")
    static class CoroutineCases {

        /** The application's work: an export that takes {@code millis}. */
        static void export(CountDownLatch started, long millis) {
            started.countDown();
            try {
                new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** {@code GlobalScope.launch(dispatcher) { export(...) }}. */
        static Job launch(CoroutineDispatcher dispatcher, CountDownLatch started, long millis) {
            return BuildersKt.launch(GlobalScope.INSTANCE, dispatcher, CoroutineStart.DEFAULT, (scope, continuation) -> {
                export(started, millis);
                return Unit.INSTANCE;
            });
        }

        /** {@code runBlocking { job.join() }}. */
        static void join(Job job) throws InterruptedException {
            BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, continuation) -> job.join(continuation));
        }

        @Test
        void launchedOnTheDefaultDispatcher() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            launch(Dispatchers.getDefault(), started, 20_000);
            started.await(10, TimeUnit.SECONDS);
        }

        @Test
        void launchedOnTheIoDispatcher() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            launch(Dispatchers.getIO(), started, 20_000);
            started.await(10, TimeUnit.SECONDS);
        }

        @Test
        void joinedInAHook() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            Job job = launch(Dispatchers.getDefault(), started, 300);
            started.await(10, TimeUnit.SECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    join(job);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }

        @Test
        void joinedBeforeTheTestEnds() throws InterruptedException {
            join(launch(Dispatchers.getDefault(), new CountDownLatch(1), 10));
        }

        @Test
        void runBlockingOnTheTestsThread() throws InterruptedException {
            BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, continuation) -> {
                export(new CountDownLatch(1), 10);
                return Unit.INSTANCE;
            });
        }
    }
}
