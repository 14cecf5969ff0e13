package dev.gracefulshutdown.examples.jetty;

import java.time.Duration;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty 12 web service on the loopback interface: {@code /export} takes {@code exportTime}, {@code /ping} answers at
 * once. How it stops on {@code SIGTERM} is the {@link Shutdown} it is started with; its shutdown hook is the
 * application's own (Jetty's {@code setStopAtShutdown} would do the same).
 */
public final class ExportWebServer {

    /** What the shutdown hook does. */
    public enum Shutdown {
        /** {@code server.stop()} with a 200 ms stop timeout and no {@code GracefulHandler}: the pool's stop interrupts. */
        STOP,
        /**
         * A {@code GracefulHandler} and a stop timeout longer than the export: stops accepting, waits, stops. Its
         * shutdown idle timeout (once the shutdown began, Jetty 12.1 closes connections idle that long, 1 s by default,
         * so that keep-alive connections do not hold the stop up) is longer than the export: with an export of exactly
         * 1 s, the kit once saw the idle check close the connection as the answer was being written.
         */
        GRACEFUL,
        /** First keeps answering for 800 ms (a lame-duck delay: the load balancer still routes here), then {@link #GRACEFUL}. */
        LAME_DUCK_THEN_GRACEFUL
    }

    private final Server server;
    private final ServerConnector connector;

    private ExportWebServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts the server on an ephemeral port, with its shutdown hook. */
    public static ExportWebServer start(Shutdown shutdown, Duration exportTime) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("jetty-web");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler routes = new Routes(exportTime.toMillis());
        if (shutdown == Shutdown.STOP) {
            server.setHandler(routes);
            server.setStopTimeout(200);
        } else {
            GracefulHandler graceful = new GracefulHandler(routes);
            graceful.setShutdownIdleTimeout(2_000); // longer than the export; Jetty's default is 1 s
            server.setHandler(graceful);
            server.setStopTimeout(5_000); // longer than the export, within the grace period
        }
        long lameDuckMillis = shutdown == Shutdown.LAME_DUCK_THEN_GRACEFUL ? 800 : 0;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, lameDuckMillis), "jetty-web-stop"));
        server.start();
        return new ExportWebServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    private static void stop(Server server, long lameDuckMillis) {
        try {
            Thread.sleep(lameDuckMillis); // still answering while the endpoint removal propagates
            server.stop();
        } catch (Exception e) {
            System.out.println("server.stop failed: " + e);
        }
    }

    /** {@code /export} writes an export, then answers; anything else answers {@code pong} at once. */
    static final class Routes extends Handler.Abstract {
        private final long exportMillis;

        Routes(long exportMillis) {
            this.exportMillis = exportMillis;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!request.getHttpURI().getPath().equals("/export")) {
                Content.Sink.write(response, true, "pong", callback);
                return true;
            }
            try {
                Thread.sleep(exportMillis); // rows written to the export file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                callback.failed(e);
                return true;
            }
            Content.Sink.write(response, true, "export written", callback);
            return true;
        }
    }
}
