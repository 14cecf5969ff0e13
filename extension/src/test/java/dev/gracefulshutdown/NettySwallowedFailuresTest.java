package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Netty catches and only logs two kinds of the user's failures: what a future's listener throws
 * ({@code DefaultPromise.notifyListener0}: "An exception was thrown by ....operationComplete()") and a handler's exception
 * that no handler handles (the pipeline's tail: "An exceptionCaught() event was fired, and it reached at the tail of the
 * pipeline"). During the shutdown either is work that failed while the loop carries on: a swallowed failure. What
 * Netty's own code throws (a decoder refusing a frame) is Netty's business, even when it reaches the tail.
 */
class NettySwallowedFailuresTest {

    @Test
    void aListenerOrAHandlerFailingDuringTheShutdownIsAFailedTask() {
        Events events = Fixtures.tests(InProcessTestCases.class);

        assertThat(Fixtures.failureMessage(events, "listenerFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: task lambda in dev.gracefulshutdown.NettySwallowedFailuresTest")
                .contains("submitted at dev.gracefulshutdown.NettySwallowedFailuresTest.listener(")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Netty's DefaultPromise (a listener's exception is logged");
        assertThat(Fixtures.failureMessage(events, "handlerFails"))
                .contains("1 violation")
                .contains("FAILED_TASK: work on ")
                .contains("failed during the shutdown with java.lang.IllegalStateException: the export's connection is closed")
                .contains("caught at Netty's channel pipeline (an exception no handler handled reaches the pipeline's tail");
        Fixtures.assertPassed(events, "listenerSucceeds", "handlerSucceeds", "aDecodersFailureReachingTheTailIsNettys",
                "listenerFailedBeforeTheShutdown");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(InProcessTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        assertThat(Fixtures.failureMessage(events, "listenerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Netty's DefaultPromise");
        assertThat(Fixtures.failureMessage(events, "handlerFails"))
                .contains("1 violation").contains("FAILED_TASK: ").contains("caught at Netty's channel pipeline");
        Fixtures.assertPassed(events, "listenerSucceeds", "handlerSucceeds", "aDecodersFailureReachingTheTailIsNettys");
    }

    private static EventLoopGroup loops() {
        return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    private static void stopInAHook(EventLoopGroup group, Runnable first) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            first.run();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }, "stop-netty"));
    }

    /** A write's outcome saved by the write's listener, which runs on the event loop and needs the connection. */
    static void listener(boolean fails) throws InterruptedException {
        EventLoopGroup group = loops();
        LoggedAndSwallowedFailuresTest.Connection connection = new LoggedAndSwallowedFailuresTest.Connection(fails);
        EventLoop loop = group.next();
        Promise<String> written = loop.newPromise();
        written.addListener(outcome -> connection.export());
        loop.execute(() -> written.setSuccess("written"));
        stopInAHook(group, connection::close);
        connection.awaitStarted();
    }

    /** A server whose handler needs the connection for each request: one is being read when the shutdown begins. */
    static void handler(boolean fails) throws InterruptedException {
        EventLoopGroup group = loops();
        LoggedAndSwallowedFailuresTest.Connection connection = new LoggedAndSwallowedFailuresTest.Connection(fails);
        Channel server = serve(group, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object request) {
                ReferenceCountUtil.release(request);
                connection.export();
                ctx.writeAndFlush(Unpooled.copiedBuffer("saved\n", StandardCharsets.US_ASCII));
            }
        });
        Socket client = send(server, "save\n");
        stopInAHook(group, () -> {
            connection.close();
            closeQuietly(client);
        });
        connection.awaitStarted();
    }

    /**
     * A line longer than the server's decoder allows, sent during the shutdown: Netty's decoder throws, the user's handler
     * passes the exception on, and the tail logs it. Netty refused the input; none of the user's work failed.
     */
    static void aDecoderRefusesALine() throws InterruptedException {
        EventLoopGroup group = loops();
        CountDownLatch refused = new CountDownLatch(1);
        Channel server = serve(group, new LineBasedFrameDecoder(8), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                refused.countDown();
                ctx.fireExceptionCaught(cause);
            }
        });
        Socket client = send(server, "");
        stopInAHook(group, () -> {
            write(client, "a line far longer than eight bytes\n");
            await(refused);
            closeQuietly(client);
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not reached within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Channel serve(EventLoopGroup group, io.netty.channel.ChannelHandler... handlers) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(handlers);
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).syncUninterruptibly().channel();
    }

    private static Socket send(Channel server, String text) {
        try {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort());
            write(client, text);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Socket client, String text) {
        try {
            OutputStream out = client.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Socket client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // the test is over
        }
    }

    @GracefulShutdownTest
    static class InProcessTestCases {
        @Test
        void listenerFails() throws InterruptedException {
            listener(true);
        }

        @Test
        void listenerSucceeds() throws InterruptedException {
            listener(false);
        }

        @Test
        void listenerFailedBeforeTheShutdown() throws InterruptedException {
            EventLoopGroup group = loops();
            EventLoop loop = group.next();
            Promise<String> written = loop.newPromise();
            CountDownLatch next = new CountDownLatch(1);
            written.addListener(outcome -> {
                throw new IllegalStateException("bad input"); // before any shutdown: not the shutdown's business
            });
            loop.execute(() -> written.setSuccess("written"));
            loop.execute(next::countDown); // the loop runs its tasks in order: the listener has run
            await(next);
            stopInAHook(group, () -> { });
        }

        @Test
        void handlerFails() throws InterruptedException {
            handler(true);
        }

        @Test
        void handlerSucceeds() throws InterruptedException {
            handler(false);
        }

        @Test
        void aDecodersFailureReachingTheTailIsNettys() throws InterruptedException {
            aDecoderRefusesALine();
        }
    }
}
