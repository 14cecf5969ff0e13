package dev.gracefulshutdown.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP service, the kind that runs in a container: {@code POST /exports} accepts an export and writes it
 * in the background (3 s), on a pool of two workers. What happens to an export in flight when the container is
 * stopped ({@code docker stop}, a Kubernetes rollout) depends on the shutdown path:
 * <ul>
 *   <li>as it is: no shutdown path at all. On {@code SIGTERM} the JVM runs no hook of ours and halts at once; the
 *   export dies half-written.</li>
 *   <li>with {@code --graceful}: a hook stops taking requests, then lets the running exports finish, bounded by a
 *   wait below the grace period.</li>
 * </ul>
 * Arguments: {@code --port=8080}, {@code --export-millis=3000}, {@code --graceful}.
 */
public final class ExportService {

    private final HttpServer server;
    private final ExecutorService exports = Executors.newFixedThreadPool(2);
    private final AtomicInteger ids = new AtomicInteger();
    private final long exportMillis;

    ExportService(int port, long exportMillis) throws IOException {
        this.exportMillis = exportMillis;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/exports", this::accept);
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(option(args, "--port=", "8080"));
        long exportMillis = Long.parseLong(option(args, "--export-millis=", "3000"));
        ExportService service = new ExportService(port, exportMillis);
        if (java.util.Arrays.asList(args).contains("--graceful")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> service.stop(20), "export-service-shutdown"));
        }
        service.server.start();
        System.out.println("ExportService listening on port " + service.server.getAddress().getPort());
    }

    /** Stops taking requests, then waits for the exports in flight: keep the wait below the grace period. */
    void stop(long awaitSeconds) {
        server.stop(0);
        exports.shutdown();
        try {
            if (!exports.awaitTermination(awaitSeconds, TimeUnit.SECONDS)) {
                System.out.println("ExportService: exports still running after " + awaitSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            respond(exchange, 405, "POST an export\n");
            return;
        }
        int id = ids.incrementAndGet();
        exports.execute(() -> write(id));
        respond(exchange, 202, "export " + id + " accepted\n");
    }

    private void write(int id) {
        System.out.println("export " + id + " started");
        try {
            TimeUnit.MILLISECONDS.sleep(exportMillis); // rows written to the export file
        } catch (InterruptedException e) {
            System.out.println("export " + id + " interrupted");
            Thread.currentThread().interrupt();
            return;
        }
        System.out.println("export " + id + " written");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
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
