package com.acmevendor.stubserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stands for a library the kit does not know (its package is on no list), shaped as MockWebServer is: {@link #start}
 * submits its accept loop to a pool of its own daemon threads, which waits for connections as long as the server
 * runs; {@link #runForTheUser} runs the user's callback on the same pool.
 */
public final class StubServer implements AutoCloseable {

    private final ExecutorService pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "StubServer");
                thread.setDaemon(true);
                return thread;
            });
    private final ServerSocket socket;

    private StubServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Starts the server and returns once its accept loop runs. */
    public static StubServer start() throws IOException, InterruptedException {
        StubServer server = new StubServer();
        CountDownLatch accepting = new CountDownLatch(1);
        server.pool.execute(new AcceptLoop(server.socket, accepting));
        accepting.await();
        return server;
    }

    /** Runs the user's callback on the server's pool. */
    public void runForTheUser(Runnable callback) {
        pool.execute(callback);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        pool.shutdown();
    }

    private static final class AcceptLoop implements Runnable {
        private final ServerSocket socket;
        private final CountDownLatch accepting;

        AcceptLoop(ServerSocket socket, CountDownLatch accepting) {
            this.socket = socket;
            this.accepting = accepting;
        }

        @Override
        public void run() {
            accepting.countDown();
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connection.getOutputStream().write("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    if (!socket.isClosed()) {
                        throw new UncheckedIOException(closed);
                    }
                }
            }
        }
    }
}
