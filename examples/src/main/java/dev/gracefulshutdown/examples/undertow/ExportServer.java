package dev.gracefulshutdown.examples.undertow;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * An Undertow 2.3 server with a blocking export endpoint that takes a while ({@code --export-millis}, 1.5 s by
 * default): the request runs on XNIO's worker pool, a JBoss Threads {@code EnhancedQueueExecutor}. {@code main} starts
 * the server on an ephemeral port, sends itself one export request and returns; XNIO's non-daemon threads keep the
 * application running. At {@code SIGTERM}, by {@code --shutdown=}:
 * <ul>
 *   <li>{@code none}: no hook: the JVM halts at once.</li>
 *   <li>{@code stop}: a hook calls {@code server.stop()} with a {@code SHUTDOWN_TIMEOUT} shorter than the export:
 *   Undertow waits that long for its worker pool, then shuts it down now, which interrupts the request.</li>
 *   <li>{@code graceful}: the handler is wrapped in a {@code GracefulShutdownHandler}; the hook stops it taking
 *   requests, waits for the one in flight (4 s at most), then stops the server.</li>
 * </ul>
 * Prints {@code export started} when the request is in the handler, {@code export written} when it is done.
 */
public final class ExportServer {

    public static void main(String[] args) throws Exception {
        String shutdown = option(args, "--shutdown=", "graceful");
        long exportMillis = Long.parseLong(option(args, "--export-millis=", "1500"));
        HttpHandler export = new BlockingHandler(exchange -> export(exchange, exportMillis));
        Undertow.Builder builder = Undertow.builder().addHttpListener(0, "127.0.0.1");
        Undertow server;
        switch (shutdown) {
            case "none" -> server = builder.setHandler(export).build();
            case "stop" -> {
                server = builder.setHandler(export).setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, 200).build();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "undertow-stop"));
            }
            case "graceful" -> {
                GracefulShutdownHandler graceful = new GracefulShutdownHandler(export);
                server = builder.setHandler(graceful).build();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    graceful.shutdown(); // new requests get a 503; the ones in flight go on
                    try {
                        graceful.awaitShutdown(4_000); // within the grace period
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    server.stop();
                }, "undertow-stop"));
            }
            default -> throw new IllegalArgumentException("--shutdown=none|stop|graceful, not " + shutdown);
        }
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println("ExportServer listening on port " + port);
        Thread client = new Thread(() -> request(port), "export-client");
        client.setDaemon(true);
        client.start();
    }

    /** Writes an export, then answers. */
    private static void export(HttpServerExchange exchange, long exportMillis) {
        System.out.println("export started on " + Thread.currentThread().getName());
        try {
            Thread.sleep(exportMillis); // rows written to the export file
        } catch (InterruptedException e) {
            System.out.println("export interrupted: " + e);
            Thread.currentThread().interrupt();
            exchange.setStatusCode(503);
            return;
        }
        System.out.println("export written");
        exchange.getResponseSender().send("export written");
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

    private static String option(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
