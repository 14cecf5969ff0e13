package dev.gracefulshutdown.examples.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A Netty 4.2 HTTP server whose handler writes an export (1.5 s) on an {@link EventExecutorGroup} of its own, off
 * the I/O threads, as Netty advises for blocking work. {@code main} starts the server, sends itself one export
 * request and returns; Netty's non-daemon threads keep the JVM running. At {@code SIGTERM}, by {@code --shutdown=}:
 * <ul>
 *   <li>{@code fire-and-forget}: a hook calls {@code shutdownGracefully()} on every group and returns without
 *   waiting for the returned futures. The JVM halts as soon as the hook returns.</li>
 *   <li>{@code await}: a hook calls {@code shutdownGracefully(100 ms, 4 s)} and waits for the futures
 *   ({@code syncUninterruptibly()}): the export finishes within the grace period.</li>
 * </ul>
 * Prints {@code export started} once the handler runs and {@code export written} when it is done.
 */
public final class ExportServer {

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventExecutorGroup exports = new DefaultEventExecutorGroup(2);
    private final long exportMillis;

    ExportServer(long exportMillis) {
        this.exportMillis = exportMillis;
    }

    public static void main(String[] args) throws Exception {
        String shutdown = option(args, "--shutdown=", "await");
        ExportServer server = new ExportServer(Long.parseLong(option(args, "--export-millis=", "1500")));
        switch (shutdown) {
            case "fire-and-forget" -> Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownWithoutWaiting, "netty-shutdown"));
            case "await" -> Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownAndAwait, "netty-shutdown"));
            default -> throw new IllegalArgumentException("--shutdown=fire-and-forget|await, not " + shutdown);
        }
        Channel channel = server.bind();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        System.out.println("ExportServer listening on port " + port);
        Thread client = new Thread(() -> requestExport(port), "export-client");
        client.setDaemon(true); // stands for a client elsewhere
        client.start();
    }   // Netty's event loop threads are not daemons: the server runs on

    Channel bind() throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536));
                        ch.pipeline().addLast(exports, "export", new ExportHandler(exportMillis));
                    }
                })
                .bind(0).sync().channel();
    }

    /** The usual snippet: shutdownGracefully() on each group, the returned futures ignored. */
    void shutdownWithoutWaiting() {
        boss.shutdownGracefully();
        workers.shutdownGracefully();
        exports.shutdownGracefully();
    }

    /** Short quiet period, a timeout below the grace period, and the hook waits for termination. */
    void shutdownAndAwait() {
        boss.shutdownGracefully(100, 4_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        exports.shutdownGracefully(100, 4_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownGracefully(100, 4_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    static final class ExportHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final long exportMillis;

        ExportHandler(long exportMillis) {
            this.exportMillis = exportMillis;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            System.out.println("export started on " + Thread.currentThread().getName());
            try {
                Thread.sleep(exportMillis); // rows written to the export file
            } catch (InterruptedException e) {
                System.out.println("export interrupted: " + e);
                Thread.currentThread().interrupt();
                ctx.close();
                return;
            }
            System.out.println("export written");
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("export written\n", CharsetUtil.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void requestExport(int port) {
        try {
            HttpURLConnection post = (HttpURLConnection) URI.create("http://localhost:" + port + "/exports").toURL().openConnection();
            post.setRequestMethod("POST");
            post.setDoOutput(true);
            post.getOutputStream().close();
            System.out.println("client: POST /exports answered " + post.getResponseCode());
        } catch (IOException e) {
            System.out.println("client: " + e);
        }
    }

    private static String option(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
