package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.kitfixture.Poller;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * A library's own housekeeping on an executor of its own (a connection pool's housekeeper, a scheduler's dispose
 * awaiter) that the shutdown cuts off or that the library's own stop interrupts is not the application's lost work;
 * the user's callback on the same executor is.
 */
class LibraryHousekeepingTest {

    @Test
    void aLibrarysOwnHousekeepingCutOffOrInterruptedIsNotTheUsersLostWork() {
        Events events = Fixtures.tests(HousekeepingTestCases.class);

        Fixtures.assertPassed(events, "housekeepingStillRunningAtTheHalt", "housekeepingInterruptedByItsLibrarysStop",
                "housekeepingOnTheUsersCallInterruptedByItsLibrarysStop", "housekeepingRejectedAfterItsLibrarysStop",
                "anEndpointsIdleCheckInterruptedByItsLibrarysStop");
        assertThat(Fixtures.failureMessage(events, "theUsersCallbackRejectedAfterTheLibrarysStopIsTheUsersWork"))
                .contains("1 violation").contains("REJECTED_TASK").contains("lambda in io.micrometer.kitfixture.Poller")
                .contains("submitted at dev.gracefulshutdown.LibraryHousekeepingTest$HousekeepingTestCases.lambda$theUsersCallbackRejected");
        assertThat(Fixtures.failureMessage(events, "theUsersCallbackOnTheLibrarysExecutorIsTheUsersWork"))
                .contains("1 violation").contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibraryHousekeepingTest$HousekeepingTestCases.theUsersCallback");
        assertThat(Fixtures.failureMessage(events, "theUsersDelayedCallbackDeepInALibrarysChainIsTheUsersWork"))
                .contains("1 violation").contains("DROPPED_TASK")
                .contains("submitted at dev.gracefulshutdown.LibraryHousekeepingTest$HousekeepingTestCases.theUsersDelayedCallback");
        assertThat(Fixtures.failureMessage(events, "theUsersCallbackInALibrarysLambdaIsTheUsersWork"))
                .contains("1 violation").contains("INTERRUPTED_TASK").contains("lambda in io.micrometer.kitfixture.Poller")
                .contains("submitted at dev.gracefulshutdown.LibraryHousekeepingTest$HousekeepingTestCases.theUsersCallbackInALibrarysLambda");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class HousekeepingTestCases {
        @Test
        void housekeepingStillRunningAtTheHalt() throws InterruptedException {
            Poller.start();
        }

        @Test
        void housekeepingInterruptedByItsLibrarysStop() throws InterruptedException {
            Poller poller = Poller.start();
            Runtime.getRuntime().addShutdownHook(new Thread(poller::stop, "stop-poller"));
        }

        @Test
        void housekeepingOnTheUsersCallInterruptedByItsLibrarysStop() throws InterruptedException {
            Poller poller = Poller.start();
            poller.watchIdle(); // a lambda of the library's, in the JDK's FutureTask, submitted on the user's call
            Runtime.getRuntime().addShutdownHook(new Thread(poller::stop, "stop-poller"));
        }

        @Test
        void anEndpointsIdleCheckInterruptedByItsLibrarysStop() throws InterruptedException {
            Poller poller = Poller.start();
            poller.watchAnEndpoint(); // the library's lambda, holding its endpoint, whose buffer pool's state is arrays
            Runtime.getRuntime().addShutdownHook(new Thread(poller::stop, "stop-poller"));
        }

        @Test
        void housekeepingRejectedAfterItsLibrarysStop() throws InterruptedException {
            Poller poller = Poller.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                poller.stop();
                poller.watchIdleLater(); // the library's own lambda, rejected by the executor it has just shut down
            }, "stop-poller"));
        }

        @Test
        void theUsersCallbackRejectedAfterTheLibrarysStopIsTheUsersWork() throws InterruptedException {
            Poller poller = Poller.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                poller.stop();
                try {
                    poller.runLaterForTheUser(() -> WorkOnAnyThreadTest.export(new CountDownLatch(1), new CountDownLatch(1)));
                } catch (java.util.concurrent.RejectedExecutionException lost) {
                    // the user's report is lost, and the kit says so
                }
            }, "stop-poller"));
        }

        @Test
        void theUsersCallbackInALibrarysLambdaIsTheUsersWork() throws InterruptedException {
            Poller poller = Poller.start();
            CountDownLatch running = new CountDownLatch(1);
            poller.runLaterForTheUser(() -> WorkOnAnyThreadTest.export(running, new CountDownLatch(1)));
            running.await();
            Runtime.getRuntime().addShutdownHook(new Thread(poller::stop, "stop-poller"));
        }

        @Test
        void theUsersDelayedCallbackDeepInALibrarysChainIsTheUsersWork() throws InterruptedException {
            Poller poller = Poller.start();
            poller.runLaterForTheUserThroughAChain(() -> WorkOnAnyThreadTest.export(new CountDownLatch(1), new CountDownLatch(1)),
                    60_000); // never runs: the JVM halts first
        }

        @Test
        void theUsersCallbackOnTheLibrarysExecutorIsTheUsersWork() throws InterruptedException {
            Poller poller = Poller.start();
            CountDownLatch running = new CountDownLatch(1);
            poller.runForTheUser(() -> {
                running.countDown();
                WorkOnAnyThreadTest.export(new CountDownLatch(1), new CountDownLatch(1)); // the user's, until the halt
            });
            running.await();
        }
    }
}
