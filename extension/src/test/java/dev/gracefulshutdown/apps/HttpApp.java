package dev.gracefulshutdown.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A small HTTP service on the JDK's {@link HttpServer}, port 8080: {@code /export} takes 3 s, {@code /ping} answers at
 * once. Its shutdown hook stops the server at once, or (with {@code --drain}) waits up to 5 s for the exchanges in
 * flight, or (with {@code --lame-duck}) first keeps answering for 800 ms.
 */
public final class HttpApp {

    public static final int PORT = 8080;

    private HttpApp() {
    }

    public static void main(String[] args) throws IOException {
        List<String> options = List.of(args);
        HttpServer server = HttpServer.create(new InetSocketAddress(PORT), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/export", exchange -> {
            try {
                Thread.sleep(3_000); // an export takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, "exported");
        });
        server.createContext("/ping", exchange -> answer(exchange, "pong"));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (options.contains("--lame-duck")) {
                try {
                    Thread.sleep(800); // keep answering while the endpoint removal propagates
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            server.stop(options.contains("--drain") || options.contains("--lame-duck") ? 5 : 0);
        }, "http-app-shutdown"));
        System.out.println("HttpApp Started on " + PORT);
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
