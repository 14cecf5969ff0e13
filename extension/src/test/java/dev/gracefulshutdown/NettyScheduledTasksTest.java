package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Tasks scheduled on Netty's event loops and event executors. Handed over from another thread, a scheduled task runs
 * once at once only to put itself into the loop's queue of scheduled tasks; it runs for real when it is due, and
 * {@code shutdownGracefully()} cancels every one still waiting. Scheduled from the loop itself (a handler's timer), it goes
 * straight into that queue; Netty's own timers there (a connection's idle checks) are Netty's business.
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
        assertThat(Fixtures.failureMessage(events, "hookShutsAnExecutorGroupDownWithATaskScheduledThroughTheGroup"))
                .as("Netty lets go of the cancelled task's runnable: what it carried is decided as its executor shuts down")
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyScheduledTasksTest$ScheduledTestCases (task#1) "
                        + "on Netty's DefaultEventExecutor#1 was thrown away by the shutdown of Netty's DefaultEventExecutor#1");
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

    @Test
    void aTaskScheduledFromTheLoopItselfIsTheUsersWhenItCarriesTheUsersCode() {
        Events events = Fixtures.tests(FromTheLoopTestCases.class);

        assertThat(Fixtures.failureMessage(events, "delayedFromTheLoopItselfNeverRuns"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.NettyScheduledTasksTest$FromTheLoopTestCases (task#2) "
                        + "on Netty's SingleThreadIoEventLoop#1 was accepted but never started")
                .contains("submitted at dev.gracefulshutdown.NettyScheduledTasksTest.lambda$scheduleFromTheLoop$"); // on the loop
        assertThat(Fixtures.failureMessage(events, "delayedFromTheLoopItselfCancelledByItsLoopsShutdown"))
                .contains("1 violation").contains("DROPPED_TASK").contains("was thrown away by the shutdown of Netty's SingleThreadIoEventLoop#1");
        Fixtures.assertPassed(events, "ranFromTheLoopItself", "cancelledByItsOwnerOnTheLoop",
                "idleChecksOfAnOpenConnectionAtTheHalt", "idleChecksOfAnOpenConnectionDroppedWithTheirLoop");
    }

    @Test
    void theForkedJvmAgreesOnTasksScheduledFromTheLoop() {
        Events events = Fixtures.tests(FromTheLoopTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "delayedFromTheLoopItselfNeverRuns"))
                .contains("1 violation").contains("DROPPED_TASK").contains("forked JVM");
        Fixtures.assertPassed(events, "idleChecksOfAnOpenConnectionAtTheHalt");
    }

    /** Schedules on the loop from a task running on it, and returns once it is scheduled. */
    static Future<?> scheduleFromTheLoop(EventLoop loop, Runnable task, long delay, TimeUnit unit) throws InterruptedException {
        CompletableFuture<Future<?>> scheduled = new CompletableFuture<>();
        loop.execute(() -> scheduled.complete(loop.schedule(task, delay, unit)));
        try {
            return scheduled.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server whose connections have Netty's idle checks, and one connection open; returns once it is active. */
    static EventLoopGroup serverWithAnIdleConnection() throws InterruptedException, IOException {
        EventLoopGroup group = loop();
        CountDownLatch active = new CountDownLatch(1);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new IdleStateHandler(60, 60, 60), new ReadTimeoutHandler(60),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext context) {
                                        active.countDown();
                                        context.fireChannelActive();
                                    }
                                });
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort());
        assertThat(active.await(10, TimeUnit.SECONDS)).isTrue();
        try { // the loop (one thread) has left the user's handler once it runs a task queued after it: it is idle
            group.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        return group;
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
        void hookShutsAnExecutorGroupDownWithATaskScheduledThroughTheGroup() {
            DefaultEventExecutorGroup group = new DefaultEventExecutorGroup(1);
            group.schedule(() -> System.out.println("send the daily report"), 1, TimeUnit.HOURS);
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

    /** Tasks a handler, or a Vert.x timer set in one, schedules on its own loop: they never go through execute. */
    @GracefulShutdownTest
    static class FromTheLoopTestCases {
        @Test
        void delayedFromTheLoopItselfNeverRuns() throws InterruptedException {
            scheduleFromTheLoop(loop().next(), () -> { }, 1, TimeUnit.HOURS);
        }

        @Test
        void delayedFromTheLoopItselfCancelledByItsLoopsShutdown() throws InterruptedException {
            EventLoopGroup group = loop();
            scheduleFromTheLoop(group.next(), () -> { }, 1, TimeUnit.HOURS);
            shutDownInAHook(group);
        }

        @Test
        void ranFromTheLoopItself() throws InterruptedException {
            EventLoopGroup group = loop();
            Fixtures.Reached ran = new Fixtures.Reached();
            scheduleFromTheLoop(group.next(), ran::signal, 20, TimeUnit.MILLISECONDS);
            ran.await(NettyScheduledTasksTest.class);
        }

        @Test
        void cancelledByItsOwnerOnTheLoop() throws InterruptedException {
            EventLoopGroup group = loop();
            scheduleFromTheLoop(group.next(), () -> { }, 1, TimeUnit.HOURS).cancel(false);
        }

        @Test
        void idleChecksOfAnOpenConnectionAtTheHalt() throws InterruptedException, IOException {
            serverWithAnIdleConnection(); // Netty's own timers, holding the channel's context (and through it the pipeline)
        }

        @Test
        void idleChecksOfAnOpenConnectionDroppedWithTheirLoop() throws InterruptedException, IOException {
            shutDownInAHook(serverWithAnIdleConnection());
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
