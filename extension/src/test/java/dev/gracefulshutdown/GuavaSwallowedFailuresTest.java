package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.eventbus.AsyncEventBus;
import com.google.common.eventbus.EventBus;
import com.google.common.eventbus.Subscribe;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Where Guava catches the exception of the user's code and only logs it: an {@code EventBus} subscriber (its default
 * exception handler logs), and a listener or callback run on {@code directExecutor()} ({@code AbstractFuture} logs
 * "RuntimeException while executing runnable"). To the pool underneath, the task succeeded. Failing during the
 * shutdown, each is a swallowed failure; a handler of the application's own, and a failure before the shutdown, are
 * the application's business.
 */
class GuavaSwallowedFailuresTest {

    @Test
    void aSubscriberFailingDuringTheShutdownIsAFailedTask() {
        Events events = Fixtures.tests(GuavaTestCases.class);

        assertThat(Fixtures.failureMessage(events, "asyncEventBusSubscriberFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task dev.gracefulshutdown.GuavaSwallowedFailuresTest$OrderListener, inside lambda in "
                        + "com.google.common.eventbus.Subscriber (task#1)")
                .contains("submitted at dev.gracefulshutdown.GuavaSwallowedFailuresTest$GuavaTestCases.asyncEventBusSubscriberFails(")
                .contains("failed during the shutdown with java.lang.IllegalStateException: database closed")
                .contains("caught at Guava's EventBus (a subscriber's exception goes to the bus's default "
                        + "SubscriberExceptionHandler, which logs it) and not rethrown");
        assertThat(Fixtures.failureMessage(events, "eventBusPostedFromAPoolsTaskFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.GuavaSwallowedFailuresTest$GuavaTestCases (task#1)")
                .contains("caught at Guava's EventBus");
    }

    @Test
    void aCallbackOnTheDirectExecutorFailingDuringTheShutdownIsAFailedTask() {
        Events events = Fixtures.tests(GuavaTestCases.class);

        assertThat(Fixtures.failureMessage(events, "directCallbackFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.GuavaSwallowedFailuresTest$GuavaTestCases, inside "
                        + "com.google.common.util.concurrent.TrustedListenableFutureTask (task#1)")
                .contains("failed during the shutdown with java.lang.IllegalStateException: database closed")
                .contains("caught at Guava's AbstractFuture (the exception of a listener or callback run on directExecutor() "
                        + "is logged as \"RuntimeException while executing runnable\") and not rethrown");
    }

    @Test
    void theApplicationsOwnHandlerOrAFailureBeforeTheShutdownIsItsBusiness() {
        Events events = Fixtures.tests(GuavaTestCases.class);

        Fixtures.assertPassed(events, "subscriberFailsIntoTheApplicationsOwnHandler", "subscriberFailedBeforeTheShutdown",
                "subscriberSucceedsDuringTheShutdown", "directCallbackFailedBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(GuavaTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "asyncEventBusSubscriberFails"))
                .contains("1 violation").contains("FAILED_TASK").contains("caught at Guava's EventBus").contains("forked JVM");
        assertThat(Fixtures.failureMessage(events, "directCallbackFails"))
                .contains("1 violation").contains("FAILED_TASK").contains("caught at Guava's AbstractFuture");
        Fixtures.assertPassed(events, "subscriberFailsIntoTheApplicationsOwnHandler", "subscriberSucceedsDuringTheShutdown");
    }

    static volatile boolean databaseClosed;

    static void write() {
        if (databaseClosed) {
            throw new IllegalStateException("database closed");
        }
    }

    /** Writes each order it is told of, once it is let go. */
    public static final class OrderListener {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release;

        OrderListener(CountDownLatch release) {
            this.release = release;
        }

        @Subscribe
        public void onOrder(String order) throws InterruptedException {
            started.countDown();
            release.await(10, TimeUnit.SECONDS);
            write();
        }
    }

    /** Registers a listener that waits for {@code release}, posts one order, and returns once the listener has it. */
    static void postAndAwaitTheListener(EventBus bus, CountDownLatch release) throws InterruptedException {
        OrderListener listener = new OrderListener(release);
        bus.register(listener);
        bus.post("order-1");
        assertThat(listener.started.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The shutdown hook: closes the database, lets the work go on, and drains the pool. */
    static void closeThenDrain(ExecutorService pool, CountDownLatch release) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            databaseClosed = true;
            release.countDown();
            pool.shutdown();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    @GracefulShutdownTest(gracePeriod = "3s")
    static class GuavaTestCases {
        @BeforeEach
        void openTheDatabase() {
            databaseClosed = false;
        }

        @Test
        void asyncEventBusSubscriberFails() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            EventBus bus = new AsyncEventBus(pool);
            CountDownLatch release = new CountDownLatch(1);
            OrderListener listener = new OrderListener(release);
            bus.register(listener);
            bus.post("order-1"); // here, not in a helper: the message names this method as where the work was submitted
            assertThat(listener.started.await(10, TimeUnit.SECONDS)).isTrue();
            closeThenDrain(pool, release);
        }

        @Test
        void eventBusPostedFromAPoolsTaskFails() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            EventBus bus = new EventBus();
            CountDownLatch release = new CountDownLatch(1);
            OrderListener listener = new OrderListener(release);
            bus.register(listener);
            pool.execute(() -> bus.post("order-1"));
            assertThat(listener.started.await(10, TimeUnit.SECONDS)).isTrue();
            closeThenDrain(pool, release);
        }

        @Test
        void subscriberFailsIntoTheApplicationsOwnHandler() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            List<Throwable> deadLetters = new CopyOnWriteArrayList<>();
            EventBus bus = new AsyncEventBus(pool, (failure, context) -> deadLetters.add(failure));
            CountDownLatch release = new CountDownLatch(1);
            postAndAwaitTheListener(bus, release);
            closeThenDrain(pool, release);
        }

        @Test
        void subscriberFailedBeforeTheShutdown() throws InterruptedException {
            databaseClosed = true;
            ExecutorService pool = Executors.newSingleThreadExecutor();
            EventBus bus = new AsyncEventBus(pool);
            CountDownLatch release = new CountDownLatch(0);
            OrderListener listener = new OrderListener(release);
            bus.register(listener);
            bus.post("order-1");
            pool.submit(() -> { }); // after the subscriber's task: the bus has logged its failure once this one ran
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void subscriberSucceedsDuringTheShutdown() throws InterruptedException {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            EventBus bus = new AsyncEventBus(pool);
            CountDownLatch release = new CountDownLatch(1);
            postAndAwaitTheListener(bus, release);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                release.countDown();
                pool.shutdown();
                try {
                    pool.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                databaseClosed = true;
            }));
        }

        @Test
        void directCallbackFails() throws InterruptedException {
            ListeningExecutorService pool = MoreExecutors.listeningDecorator(Executors.newSingleThreadExecutor());
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ListenableFuture<String> order = pool.submit(() -> {
                started.countDown();
                release.await(10, TimeUnit.SECONDS);
                return "order-1";
            });
            Futures.addCallback(order, writeOnSuccess(), MoreExecutors.directExecutor());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            closeThenDrain(pool, release);
        }

        @Test
        void directCallbackFailedBeforeTheShutdown() throws Exception {
            databaseClosed = true;
            ListeningExecutorService pool = MoreExecutors.listeningDecorator(Executors.newSingleThreadExecutor());
            ListenableFuture<String> order = pool.submit(() -> "order-1");
            Futures.addCallback(order, writeOnSuccess(), MoreExecutors.directExecutor());
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    static FutureCallback<String> writeOnSuccess() {
        return new FutureCallback<>() {
            @Override
            public void onSuccess(String order) {
                write();
            }

            @Override
            public void onFailure(Throwable failure) {
            }
        };
    }
}
