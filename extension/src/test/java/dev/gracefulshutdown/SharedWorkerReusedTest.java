package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.acmevendor.rpc.CallDispatcher;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * A JVM-wide pool an earlier test's code made (gRPC's shared executor): its worker still in the user's code as a later
 * test begins (an earlier call's handler returning) is not that test's, but the call the later test makes, handed to
 * the same worker once it is free, is. Before, the worker counted as busy since before the test for the whole test, and
 * the later call cut off at the halt was a clean verdict (seen as a flake of {@code GrpcServerTest} on JDK 25).
 */
class SharedWorkerReusedTest {

    @Test
    void aCallHandedToAWorkerThatWasBusyWhenTheTestBeganIsTheTestsWork() {
        try {
            Events events = Fixtures.tests(ReusedWorkerCases.class, GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor");

            assertThat(Fixtures.failureMessage(events, "earlierCallStillRunningAtItsHalt")).contains("1 violation")
                    .contains("ABANDONED_TASK");
            assertThat(Fixtures.failureMessage(events, "laterCallOnTheWorkerTheEarlierOneFreed")).contains("1 violation")
                    .contains("ABANDONED_TASK: work on worker thread \"acme-rpc-worker\"")
                    .contains("called from dev.gracefulshutdown.SharedWorkerReusedTest$ReusedWorkerCases.handle(");
        } finally {
            ReusedWorkerCases.LATER_CALL_MAY_END.countDown();
        }
    }

    @GracefulShutdownTest(gracePeriod = "2s")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ReusedWorkerCases {

        static final CountDownLatch EARLIER_CALL_RUNNING = new CountDownLatch(1);
        static final CountDownLatch EARLIER_CALL_MAY_END = new CountDownLatch(1);
        static final CountDownLatch LATER_CALL_RUNNING = new CountDownLatch(1);
        static final CountDownLatch LATER_CALL_MAY_END = new CountDownLatch(1);
        static final AtomicReference<Thread> EARLIER_WORKER = new AtomicReference<>();
        static final AtomicReference<Thread> LATER_WORKER = new AtomicReference<>();

        /** The application's handler: it finishes its call, even when interrupted (as the kit does at a test's end). */
        static void handle(AtomicReference<Thread> worker, CountDownLatch running, CountDownLatch mayEnd) {
            worker.set(Thread.currentThread());
            running.countDown();
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (mayEnd.getCount() > 0 && System.nanoTime() - deadline < 0) {
                try {
                    mayEnd.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Test
        @Order(1)
        void earlierCallStillRunningAtItsHalt() throws InterruptedException {
            CallDispatcher.shared().receive(() -> handle(EARLIER_WORKER, EARLIER_CALL_RUNNING, EARLIER_CALL_MAY_END));
            assertThat(EARLIER_CALL_RUNNING.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        @Order(2)
        void laterCallOnTheWorkerTheEarlierOneFreed() throws InterruptedException {
            EARLIER_CALL_MAY_END.countDown(); // the worker was in the user's code as this test began
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(CallDispatcher.shared()::idle);
            CallDispatcher.shared().receive(() -> handle(LATER_WORKER, LATER_CALL_RUNNING, LATER_CALL_MAY_END));
            assertThat(LATER_CALL_RUNNING.await(10, TimeUnit.SECONDS)).as("the later call runs").isTrue();
            assertThat(LATER_WORKER.get()).as("the same worker runs the later call").isSameAs(EARLIER_WORKER.get());
        }
    }
}
