package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Tasks scheduled on Netty's event loops and event executors. Handed over from another thread, a scheduled task runs
 * once at once only to put itself into the loop's queue of scheduled tasks; it runs for real when it is due, and
 * {@code shutdownGracefully()} cancels every one still waiting.
 */
class NettyScheduledTasksTest {

    @Test
    void aScheduledTaskStillWaitingAtTheHaltIsDroppedWithTheUsersTaskNamed() {
        Events events = Fixtures.tests(ScheduledTestCases.class);

        assertThat(Fixtures.failureMessage(events, "delayedOnAnEventLoopNeverRuns"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyScheduledTasksTest$ScheduledTestCases (task#1) "
                        + "on Netty's SingleThreadIoEventLoop#1 was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.NettyScheduledTasksTest$ScheduledTestCases.delayedOnAnEventLoopNeverRuns(");
        assertThat(Fixtures.failureMessage(events, "delayedOnAnEventExecutorNeverRuns"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyScheduledTasksTest$ScheduledTestCases (task#1) "
                        + "on Netty's DefaultEventExecutor#1 was accepted but never started");
    }

    @Test
    void shutdownGracefullyCancelsTheScheduledTasks() {
        Events events = Fixtures.tests(ScheduledTestCases.class);

        assertThat(Fixtures.failureMessage(events, "hookShutsTheLoopDownWithATaskWaiting"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyScheduledTasksTest$ScheduledTestCases (task#1) "
                        + "on Netty's SingleThreadIoEventLoop#1 was thrown away by the shutdown of Netty's SingleThreadIoEventLoop#1 (Netty cancels the "
                        + "tasks still waiting for their time when it shuts down)")
                .contains("fix: before shutting the executor down, wait");
    }

    @Test
    void tasksThatRanRepeatOrWereCancelledByTheirOwnerLoseNothing() {
        Events events = Fixtures.tests(ScheduledTestCases.class);

        Fixtures.assertPassed(events, "ranBeforeTheShutdown", "periodicTasksOnAGroupShutDownInAHook",
                "hookAwaitsTheScheduledTaskThenShutsDown", "ownerCancelledItsTask");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(ForkedTestCases.class);

        assertThat(Fixtures.failureMessage(events, "delayedOnAnEventLoopNeverRuns"))
                .contains("1 violation").contains("DROPPED_TASK").contains("on Netty's SingleThreadIoEventLoop#1 was accepted but never started");
        Fixtures.assertPassed(events, "periodicTasksOnAGroupShutDownInAHook");
    }

    static EventLoopGroup loop() {
        return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    static void shutDownInAHook(io.netty.util.concurrent.EventExecutorGroup group) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly()));
    }

    @GracefulShutdownTest
    static class ScheduledTestCases {
        @Test
        void delayedOnAnEventLoopNeverRuns() {
            loop().next().schedule(() -> { }, 1, TimeUnit.HOURS);
        }

        @Test
        void delayedOnAnEventExecutorNeverRuns() {
            new DefaultEventExecutorGroup(1).next().schedule(() -> { }, 1, TimeUnit.HOURS);
        }

        @Test
        void hookShutsTheLoopDownWithATaskWaiting() {
            EventLoopGroup group = loop();
            group.next().schedule(() -> { }, 1, TimeUnit.HOURS);
            shutDownInAHook(group);
        }

        @Test
        void ranBeforeTheShutdown() throws InterruptedException {
            EventLoopGroup group = loop();
            CountDownLatch ran = new CountDownLatch(1);
            group.next().schedule(ran::countDown, 20, TimeUnit.MILLISECONDS);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            shutDownInAHook(group);
        }

        @Test
        void periodicTasksOnAGroupShutDownInAHook() {
            EventLoopGroup group = loop();
            group.next().scheduleWithFixedDelay(() -> { }, 0, 10, TimeUnit.MILLISECONDS);
            group.next().scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
            shutDownInAHook(group);
        }

        @Test
        void hookAwaitsTheScheduledTaskThenShutsDown() {
            EventLoopGroup group = loop();
            Future<?> report = group.next().schedule(() -> { }, 100, TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                report.awaitUninterruptibly(5, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            }));
        }

        @Test
        void ownerCancelledItsTask() {
            EventLoopGroup group = loop();
            group.next().schedule(() -> { }, 1, TimeUnit.HOURS).cancel(false);
            shutDownInAHook(group);
        }
    }

    @GracefulShutdownTest(fork = true)
    static class ForkedTestCases {
        @Test
        void delayedOnAnEventLoopNeverRuns() {
            loop().next().schedule(() -> { }, 1, TimeUnit.HOURS);
        }

        @Test
        void periodicTasksOnAGroupShutDownInAHook() {
            EventLoopGroup group = loop();
            group.next().scheduleWithFixedDelay(() -> { }, 0, 10, TimeUnit.MILLISECONDS);
            shutDownInAHook(group);
        }
    }
}
