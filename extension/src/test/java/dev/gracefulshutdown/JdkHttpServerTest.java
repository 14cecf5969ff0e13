package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * The JDK's own HTTP server hands each request from its dispatcher thread to the application's pool: no frame of the
 * application is on the stack where the request becomes a task, yet it is the application's work on its own pool.
 */
class JdkHttpServerTest {

    @Test
    void aRequestOnTheApplicationsPoolStillRunningAtTheHaltIsAbandoned() {
        Events events = Fixtures.tests(ServerTestCases.class);

        // the application both serves the request and sent it (sendAsync): both ends are in flight at the halt
        assertThat(Fixtures.failureMessage(events, "requestInFlightAtSigterm"))
                .contains("2 violations")
                .contains("ABANDONED_TASK: task sun.net.httpserver.ServerImpl$Exchange")
                .contains("submitted at dev.gracefulshutdown.JdkHttpServerTest$ServerTestCases.serve")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:");
        assertThat(Fixtures.failureMessage(events, "requestOnTheServersOwnThreadAtSigterm"))
                .contains("2 violations").contains("ABANDONED_TASK").contains("HTTP-Dispatcher")
                .contains("ABANDONED_TASK: task HTTP exchange GET http://127.0.0.1:");
        Fixtures.assertPassed(events, "requestAnsweredBeforeSigterm");
    }

    static class ServerTestCases {

        static final CountDownLatch NEVER = new CountDownLatch(1);

        static HttpServer serve(ExecutorService pool, CountDownLatch handling, boolean slow) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/export", exchange -> {
                handling.countDown();
                if (slow) {
                    try {
                        NEVER.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = "done".getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(pool);
            server.start();
            return server;
        }

        static void send(HttpServer server, boolean await) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/export")).build();
            if (await) {
                client.send(request, HttpResponse.BodyHandlers.ofString());
            } else {
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            }
        }

        @Test
        @GracefulShutdownTest
        void requestInFlightAtSigterm() throws Exception {
            CountDownLatch handling = new CountDownLatch(1);
            HttpServer server = serve(Executors.newFixedThreadPool(2), handling, true);
            send(server, false);
            handling.await();
        }

        @Test
        @GracefulShutdownTest
        void requestOnTheServersOwnThreadAtSigterm() throws Exception {
            CountDownLatch handling = new CountDownLatch(1);
            HttpServer server = serve(null, handling, true); // no executor: the dispatcher thread runs the handler
            send(server, false);
            handling.await();
        }

        @Test
        @GracefulShutdownTest
        void requestAnsweredBeforeSigterm() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            HttpServer server = serve(pool, new CountDownLatch(1), false);
            send(server, true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop(0);
                pool.shutdown();
            }));
        }
    }
}
