package dev.gracefulshutdown.examples.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
 * A Jetty 12 server with an export endpoint that takes a while ({@code --export-millis}, 1.5 s by default).
 * {@code main} starts the server on an ephemeral port, sends itself one export request and returns; Jetty's
 * threads keep the application running. At {@code SIGTERM}, by {@code --shutdown=}:
 * <ul>
 *   <li>{@code none}: no hook: the JVM halts at once.</li>
 *   <li>{@code stop}: a hook calls {@code server.stop()} with a stop timeout shorter than the export.</li>
 *   <li>{@code graceful}: the handler is wrapped in a {@code GracefulHandler} and the stop timeout covers the export:
 *   {@code server.stop()} stops accepting, waits for the request in flight, then stops.</li>
 * </ul>
 * Prints {@code export started} when the request is in the handler, {@code export written} when it is done.
 */
public final class ExportServer {

    public static void main(String[] args) throws Exception {
        String shutdown = option(args, "--shutdown=", "graceful");
        long exportMillis = Long.parseLong(option(args, "--export-millis=", "1500"));
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("jetty-exports");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        Handler export = new ExportHandler(exportMillis);
        switch (shutdown) {
            case "none" -> server.setHandler(export);
            case "stop" -> {
                server.setHandler(export);
                server.setStopTimeout(200);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "jetty-stop"));
            }
            case "graceful" -> {
                server.setHandler(new GracefulHandler(export));
                server.setStopTimeout(4_000); // within the grace period
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "jetty-stop"));
            }
            default -> throw new IllegalArgumentException("--shutdown=none|stop|graceful, not " + shutdown);
        }
        server.start();
        int port = connector.getLocalPort();
        System.out.println("ExportServer listening on port " + port);
        Thread client = new Thread(() -> request(port), "export-client");
        client.setDaemon(true);
        client.start();
    }

    private static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            System.out.println("server.stop failed: " + e);
        }
    }

    private static void request(int port) {
        try {
            URL url = URI.create("http://127.0.0.1:" + port + "/exports").toURL();
            try (InputStream in = url.openStream()) {
                System.out.println("client got: " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            System.out.println("client failed: " + e);
        }
    }

    /** Writes an export, then answers. */
    static final class ExportHandler extends Handler.Abstract {
        private final long exportMillis;

        ExportHandler(long exportMillis) {
            this.exportMillis = exportMillis;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            System.out.println("export started on " + Thread.currentThread().getName());
            try {
                Thread.sleep(exportMillis); // rows written to the export file
            } catch (InterruptedException e) {
                System.out.println("export interrupted: " + e);
                Thread.currentThread().interrupt();
                callback.failed(e);
                return true;
            }
            System.out.println("export written");
            Content.Sink.write(response, true, "export written", callback);
            return true;
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
