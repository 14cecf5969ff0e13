package dev.gracefulshutdown.examples.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardWrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * An embedded Tomcat 11 whose servlet writes an export while the request waits ({@code POST /exports}, 1.5 s by
 * default). {@code main} starts the server, sends itself one export request and serves until it is stopped. What
 * happens to that request at {@code SIGTERM} depends on {@code --shutdown=}:
 * <ul>
 *   <li>{@code none}: no hook. The JVM halts at once and the request is cut off.</li>
 *   <li>{@code stop}: a hook calls {@code tomcat.stop()}, what most embedded-Tomcat snippets do.</li>
 *   <li>{@code graceful}: a hook pauses the connector (no new requests), waits for the requests in flight, bounded
 *   below the grace period, then calls {@code tomcat.stop()}: what Spring Boot's graceful shutdown does for
 *   Tomcat.</li>
 * </ul>
 * Prints {@code export started} once the request is in the servlet and {@code export written} when it is done.
 */
public final class ExportServer {

    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector();
    private final Context context;

    ExportServer(long exportMillis) throws IOException {
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-export").toString());
        connector.setPort(0);
        tomcat.setConnector(connector);
        context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "export", new ExportServlet(exportMillis));
        context.addServletMappingDecoded("/exports", "export");
    }

    public static void main(String[] args) throws Exception {
        String shutdown = option(args, "--shutdown=", "graceful");
        ExportServer server = new ExportServer(Long.parseLong(option(args, "--export-millis=", "1500")));
        switch (shutdown) {
            case "none" -> { }
            case "stop" -> Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "tomcat-stop"));
            case "graceful" -> Runtime.getRuntime().addShutdownHook(
                    new Thread(() -> server.stopGracefully(Duration.ofSeconds(4)), "tomcat-graceful-stop"));
            default -> throw new IllegalArgumentException("--shutdown=none|stop|graceful, not " + shutdown);
        }
        server.tomcat.start();
        int port = server.connector.getLocalPort();
        System.out.println("ExportServer listening on port " + port);
        Thread client = new Thread(() -> requestExport(port), "export-client");
        client.setDaemon(true); // stands for a client elsewhere
        client.start();
        server.tomcat.getServer().await(); // serves until the server is stopped
    }

    /** What embedded-Tomcat snippets do on shutdown. */
    void stop() {
        try {
            tomcat.stop();
        } catch (LifecycleException e) {
            System.out.println("tomcat.stop() failed: " + e);
        }
    }

    /** Stops taking requests, lets those in flight finish (at most {@code timeout}), then stops Tomcat. */
    void stopGracefully(Duration timeout) {
        connector.pause();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight() > 0) {
            System.out.println("ExportServer: " + inFlight() + " requests still running after " + timeout.toSeconds() + " s");
        }
        stop();
    }

    /** Requests inside a servlet right now (what Spring Boot's Tomcat graceful shutdown counts). */
    private int inFlight() {
        int count = ((StandardContext) context).getInProgressAsyncCount() > 0 ? 1 : 0;
        for (Container wrapper : context.findChildren()) {
            count += ((StandardWrapper) wrapper).getCountAllocated();
        }
        return count;
    }

    static final class ExportServlet extends HttpServlet {

        private final long exportMillis;

        ExportServlet(long exportMillis) {
            this.exportMillis = exportMillis;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            System.out.println("export started on " + Thread.currentThread().getName());
            try {
                Thread.sleep(exportMillis); // rows written to the export file
            } catch (InterruptedException e) {
                System.out.println("export interrupted: " + e);
                Thread.currentThread().interrupt();
                response.sendError(503);
                return;
            }
            System.out.println("export written");
            response.getWriter().println("export written");
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

    static String option(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
